#include "firmnet/serve/repository.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "firmnet/driver/pipeline.h"
#include "firmnet/io/atomic_file.h"

namespace firmnet::serve {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kMaxConfigBytes = 1 << 20;

// The ONNX graph's own input and output names (graph order), when they line up with the
// imported graph's; otherwise none (firmnet's names serve).
ModelIoNames OnnxIoNames(const std::string& path, const ir::Graph& graph) {
  ModelIoNames names;
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) return names;
  std::vector<std::string> constants;
  for (const auto& t : model.graph().initializer()) constants.push_back(t.name());
  for (const auto& i : model.graph().input()) {
    if (std::find(constants.begin(), constants.end(), i.name()) == constants.end()) {
      names.inputs.push_back(i.name());
    }
  }
  for (const auto& o : model.graph().output()) names.outputs.push_back(o.name());
  if (names.inputs.size() != graph.Inputs().size()) names.inputs.clear();
  if (names.outputs.size() != graph.outputs.size()) names.outputs.clear();
  return names;
}

// The model file of a version folder, and the Keras weights beside a .json.
StatusOr<driver::ModelSource> FindModelFile(const fs::path& dir, const std::string& stem,
                                            const std::string& at) {
  driver::ModelSource src;
  if (stem.find('.') != std::string::npos) {  // default_model_filename with its extension
    if (!fs::is_regular_file(dir / stem)) {
      return NotFound(at + "default_model_filename '" + stem + "' is not in " + dir.string());
    }
    src.model_path = (dir / stem).string();
  } else {
    for (const char* ext : {".onnx", ".json", ".h5", ".fnir"}) {
      if (fs::is_regular_file(dir / (stem + ext))) {
        src.model_path = (dir / (stem + ext)).string();
        break;
      }
    }
  }
  if (src.model_path.empty()) {
    return NotFound(at + "no model file in " + dir.string() + " (expected " + stem + ".onnx, " +
                    stem + ".json with " + stem + "_weights.h5, " + stem + ".h5 or " + stem +
                    ".fnir)");
  }
  if (fs::path(src.model_path).extension() == ".json") {
    const fs::path w = fs::path(src.model_path).replace_extension("").string() + "_weights.h5";
    if (!fs::is_regular_file(w)) {
      return NotFound(at + src.model_path + " needs its weights, " + w.string());
    }
    src.weights_path = w.string();
  }
  return src;
}

// The numeric version folders of a model, ascending.
std::vector<int64_t> VersionFolders(const fs::path& dir) {
  std::vector<int64_t> v;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (!e.is_directory() || n.empty() || n.size() > 18 ||
        !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    v.push_back(std::stoll(n));
  }
  std::sort(v.begin(), v.end());
  return v;
}

StatusOr<std::vector<int64_t>> SelectVersions(const inference::ModelConfig& config,
                                              const std::vector<int64_t>& available,
                                              const std::string& at) {
  std::vector<int64_t> chosen;
  const auto& p = config.version_policy();
  if (p.has_all()) {
    chosen = available;
  } else if (p.has_specific()) {
    for (int64_t v : p.specific().versions()) {
      if (std::find(available.begin(), available.end(), v) == available.end()) {
        return NotFound(at + "version_policy names version " + std::to_string(v) +
                        ", which has no folder");
      }
      chosen.push_back(v);
    }
  } else {
    const size_t n =
        p.has_latest() && p.latest().num_versions() > 0 ? p.latest().num_versions() : 1;
    for (size_t i = 0; i < available.size() && i < n; ++i) {
      chosen.push_back(available[available.size() - 1 - i]);
    }
  }
  if (chosen.empty()) return NotFound(at + "no version folder (1/, 2/, ...) to load");
  return chosen;
}

}  // namespace

StatusOr<std::vector<std::shared_ptr<ServedModel>>> LoadModelFolder(const std::string& dir,
                                                                    const std::string& name) {
  const std::string at = "model '" + name + "': ";
  const fs::path root(dir);
  if (!fs::is_directory(root)) return NotFound(at + dir + " is not a folder");
  inference::ModelConfig config;
  const fs::path config_path = root / "config.pbtxt";
  if (fs::exists(config_path)) {
    std::error_code ec;
    const auto size = fs::file_size(config_path, ec);
    if (ec || size > kMaxConfigBytes) {
      return InvalidArgument(at + config_path.string() + " is not a readable file under 1 MiB");
    }
    std::string text;
    FIRMNET_RETURN_IF_ERROR(io::ReadFile(config_path.string(), &text));
    FIRMNET_ASSIGN_OR_RETURN(config, ParseModelConfig(text, config_path.string()));
  }
  FIRMNET_ASSIGN_OR_RETURN(const ServingSpec base, CheckConfig(config, name));
  FIRMNET_ASSIGN_OR_RETURN(const std::vector<int64_t> versions,
                           SelectVersions(config, VersionFolders(root), at));
  const std::string stem =
      config.default_model_filename().empty() ? "model" : config.default_model_filename();
  std::vector<std::shared_ptr<ServedModel>> loaded;
  for (int64_t v : versions) {
    const fs::path vdir = root / std::to_string(v);
    const std::string vat = "model '" + name + "' version " + std::to_string(v) + ": ";
    FIRMNET_ASSIGN_OR_RETURN(driver::ModelSource src, FindModelFile(vdir, stem, vat));
    if (!base.precision_config.empty()) {
      const fs::path yml = vdir / base.precision_config;
      if (!fs::is_regular_file(yml)) {
        return NotFound(vat + "parameters 'config' names " + yml.string() + ", which is missing");
      }
      src.config_path = yml.string();
    }
    StatusOr<ir::Graph> graph = driver::LoadResolvedGraph(src);
    if (!graph.ok()) {
      return Status(graph.status().code(), vat + graph.status().message());
    }
    ModelIoNames names;
    if (fs::path(src.model_path).extension() == ".onnx")
      names = OnnxIoNames(src.model_path, *graph);
    inference::ModelConfig bound = config;
    ServingSpec spec = base;
    FIRMNET_RETURN_IF_ERROR(BindToGraph(bound, *graph, names, spec));
    FIRMNET_ASSIGN_OR_RETURN(
        std::unique_ptr<ServedModel> m,
        ServedModel::Create(std::move(*graph), std::move(bound), std::move(spec), v));
    loaded.push_back(std::move(m));
  }
  return loaded;
}

Repository::Repository(RepositoryOptions options) : options_(std::move(options)) {}

Repository::~Repository() { StopAll(); }

Status Repository::LoadStartup() {
  if (!fs::is_directory(options_.root)) {
    return NotFound("--model-repository " + options_.root + " is not a folder");
  }
  std::vector<std::string> names;
  if (options_.explicit_control) {
    names = options_.startup_models;
  } else {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(options_.root, ec)) {
      if (e.is_directory()) names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
  }
  for (const std::string& n : names) (void)Load(n);  // failures stay in the index
  return OkStatus();
}

Status Repository::Load(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return InvalidArgument("'" + name + "' is not a model name");
  }
  const fs::path dir = fs::path(options_.root) / name;
  if (!fs::is_directory(dir)) {
    return NotFound("model '" + name + "' is not in the repository " + options_.root);
  }
  // Loading runs without the lock: requests keep going to the old versions meanwhile.
  StatusOr<std::vector<std::shared_ptr<ServedModel>>> loaded = LoadModelFolder(dir.string(), name);
  std::map<int64_t, std::shared_ptr<ServedModel>> old;
  {
    std::lock_guard lock(mu_);
    Entry& e = models_[name];
    if (!loaded.ok()) {
      // A failed reload leaves the versions that were serving in place.
      e.reason = loaded.status().message();
    } else {
      old.swap(e.versions);
      for (auto& m : *loaded) e.versions[m->version()] = std::move(m);
      e.reason.clear();
    }
  }
  for (auto& [v, m] : old) m->Stop();
  return loaded.ok() ? OkStatus() : loaded.status();
}

Status Repository::Unload(const std::string& name) {
  std::map<int64_t, std::shared_ptr<ServedModel>> old;
  {
    std::lock_guard lock(mu_);
    auto it = models_.find(name);
    if (it == models_.end()) return NotFound("model '" + name + "' is not loaded");
    old.swap(it->second.versions);
    it->second.reason = "unloaded";
  }
  for (auto& [v, m] : old) m->Stop();
  return OkStatus();
}

StatusOr<std::shared_ptr<ServedModel>> Repository::Find(const std::string& name,
                                                        const std::string& version) const {
  std::lock_guard lock(mu_);
  auto it = models_.find(name);
  if (it == models_.end()) return NotFound("unknown model '" + name + "'");
  const Entry& e = it->second;
  if (e.versions.empty()) {
    return Unavailable("model '" + name + "' is not ready" +
                       (e.reason.empty() ? std::string() : ": " + e.reason));
  }
  if (version.empty()) return e.versions.rbegin()->second;
  for (const auto& [v, m] : e.versions) {
    if (std::to_string(v) == version) return m;
  }
  return NotFound("model '" + name + "' has no loaded version '" + version + "'");
}

std::vector<std::shared_ptr<ServedModel>> Repository::Versions(const std::string& name) const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ServedModel>> out;
  auto it = models_.find(name);
  if (it == models_.end()) return out;
  for (auto v = it->second.versions.rbegin(); v != it->second.versions.rend(); ++v) {
    out.push_back(v->second);
  }
  return out;
}

std::vector<IndexEntry> Repository::Index(bool ready_only) const {
  std::map<std::string, std::vector<IndexEntry>> by_name;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, e] : models_) {
      auto& list = by_name[name];
      for (const auto& [v, m] : e.versions) list.push_back({name, std::to_string(v), "READY", ""});
      if (e.versions.empty()) list.push_back({name, "", "UNAVAILABLE", e.reason});
    }
  }
  if (!ready_only) {
    // Models of the folder that were never loaded (explicit mode) are listed without a state.
    std::error_code ec;
    for (const auto& d : fs::directory_iterator(options_.root, ec)) {
      const std::string n = d.path().filename().string();
      if (d.is_directory() && by_name.count(n) == 0) by_name[n].push_back({n, "", "", ""});
    }
  }
  std::vector<IndexEntry> out;
  for (auto& [name, list] : by_name) {
    for (auto& e : list) {
      if (!ready_only || e.state == "READY") out.push_back(std::move(e));
    }
  }
  return out;
}

std::vector<std::string> Repository::ReadyModels() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, e] : models_) {
    if (!e.versions.empty()) out.push_back(name);
  }
  return out;
}

bool Repository::Ready() const {
  std::lock_guard lock(mu_);
  for (const auto& [name, e] : models_) {
    if (e.versions.empty() && e.reason != "unloaded") return false;
  }
  return true;
}

void Repository::StopAll() {
  std::lock_guard lock(mu_);
  for (auto& [name, e] : models_) {
    for (auto& [v, m] : e.versions) m->Stop();
  }
}

}  // namespace firmnet::serve
