# web publishes nothing on the sandbox, declares its port 8000 with expose (the image itself
# exposes no port, so Config.ExposedPorts shows what the compose file said), and proxy still
# publishes 8080 and reaches web. Probes: nothing answers on port 8000 of the sandbox, and the
# proxy does on 8080.
D=/root/stack
proxy=$(compose_running $D proxy) || fail "$proxy"
web=$(compose_running $D web) || fail "$web"
IFS='|' read -r published exposed < <(docker container inspect -f \
  '{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{$p}} on {{or .HostIp "0.0.0.0"}}{{if .HostPort}}:{{.HostPort}}{{else}} at a port Docker picks{{end}}, {{end}}{{end}}|{{range $p, $v := .Config.ExposedPorts}}{{$p}},{{end}}' "$web")
[ -z "$published" ] ||
  fail "web is still published on the sandbox (${published%, }): anything that reaches the sandbox can talk to web directly, past the proxy."
case ",$exposed" in
  *,8000,* | *,8000/tcp,*) ;;
  *) fail "web does not declare port 8000 with expose: nothing in its configuration says which port it listens on (exposed: $(e=${exposed%,}; printf %s "${e:-none}"))." ;;
esac
[ "$(host_port "$proxy" 80/tcp)" = 8080 ] || fail "proxy's port 80 is not published on port 8080 of the sandbox any more."
[ "$(http_status http://localhost:8000/)" = 000 ] || fail "Something still answers on port 8000 of the sandbox."
code=$(http_status http://localhost:8080/)
[ "$code" = 200 ] || fail "The proxy answers $code on http://localhost:8080/: it does not reach web."
pass "web is exposed on 8000 to its networks and published nowhere; the proxy is the only way in."
