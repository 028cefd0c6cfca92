// A Triton-layout model repository: DIR/<model>/config.pbtxt and numeric version folders
// DIR/<model>/<v>/ holding the model file (model.onnx, model.json + model_weights.h5, model.h5 or
// model.fnir; config's default_model_filename overrides the stem). A model that fails to load
// stays in the index as UNAVAILABLE with the reason; the others serve.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/serve/served_model.h"

namespace firmnet::serve {

struct RepositoryOptions {
  std::string root;
  bool explicit_control = false;            // --model-control-mode explicit
  std::vector<std::string> startup_models;  // --load-model (explicit mode)
};

struct IndexEntry {
  std::string name;
  std::string version;  // empty when no version is loaded
  std::string state;    // READY, UNAVAILABLE
  std::string reason;
};

class Repository {
 public:
  explicit Repository(RepositoryOptions options);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // Loads every model of the repository (mode none) or the startup models (explicit mode). A
  // missing repository is an error; a model that fails is recorded, not returned.
  Status LoadStartup();
  // Loads or reloads one model (explicit mode). The old versions serve until the new ones are
  // ready, and go on serving when the reload fails; a model with no version loaded is
  // UNAVAILABLE with the reason. The failure is returned.
  Status Load(const std::string& name);
  // Unloads a model; its queued requests still complete.
  Status Unload(const std::string& name);
  // The model version to run: `version` empty for the newest loaded one. NOT_FOUND names the
  // model (and version); UNAVAILABLE gives the load error.
  StatusOr<std::shared_ptr<ServedModel>> Find(const std::string& name,
                                              const std::string& version) const;
  // Every loaded version of a model, newest first.
  std::vector<std::shared_ptr<ServedModel>> Versions(const std::string& name) const;
  // Every model of the repository folder and every model known (loaded or failed), by name.
  std::vector<IndexEntry> Index(bool ready_only) const;
  // The names of every READY model.
  std::vector<std::string> ReadyModels() const;
  // True when every model that should load has loaded.
  bool Ready() const;
  bool explicit_control() const { return options_.explicit_control; }
  // Refuses new requests on every model (shutdown); queued ones still run.
  void StopAll();

 private:
  struct Entry {
    std::map<int64_t, std::shared_ptr<ServedModel>> versions;
    std::string reason;  // the load error when not READY
  };
  RepositoryOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> models_;
};

// Loads the versions of one model folder as its config's version policy selects them.
StatusOr<std::vector<std::shared_ptr<ServedModel>>> LoadModelFolder(const std::string& dir,
                                                                    const std::string& name);

}  // namespace firmnet::serve
