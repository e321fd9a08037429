# app:single must exist and be built on python:3.13 (its layers start with that image's).
layers() { docker image inspect -f '{{range .RootFS.Layers}}{{.}} {{end}}' "$1" 2>/dev/null; }
mine=$(layers app:single)
[ -n "$mine" ] || fail "There is no image tagged app:single yet."
base=$(layers python:3.13)
[ -n "$base" ] || fail "The python:3.13 image is missing from the sandbox. Reset the lab to get it back."
[[ "$mine" == "$base"* ]] || fail "app:single is not built on python:3.13. Build it from Dockerfile.single."
[ "$mine" != "$base" ] || fail "app:single is just python:3.13 under another name: nothing of the app is in it."
case "$(docker image inspect -f '{{json .Config.Cmd}}' app:single)" in
  *uvicorn*) ;;
  *) fail "app:single does not start uvicorn: was it built from /root/app/Dockerfile.single?" ;;
esac
pass
