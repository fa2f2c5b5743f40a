# Shell helpers the scripts share; sourced, not run.

# free_port: prints a TCP port nobody listens on at 127.0.0.1 (20000–39999), or fails after 50 tries.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  return 1
}
