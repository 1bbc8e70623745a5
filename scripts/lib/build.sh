# Shared by scripts: configure and build one of the project's build trees.
# Usage: truc_build <build-dir> [cmake options...]

truc_build() {
  local directory=$1
  shift
  local launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$directory" -G Ninja "${launcher[@]}" "$@" >/dev/null
  cmake --build "$directory"
}
