// firmnet command-line interface (placeholder until the CLI lands).
int main() { return 0; }
