# web:test must be the image of the Dockerfile's test stage: built on the base stage, with the
# step that runs the unit tests (so they passed: a failing test fails the build), and none of
# the runtime stage's steps.
steps=$(docker history --no-trunc --format '{{.CreatedBy}}' web:test 2>/dev/null) ||
  fail "There is no image tagged web:test yet."
grep -q 'useradd' <<<"$steps" &&
  fail "web:test is the runtime stage (it creates appuser): without --target, docker build builds the last stage of the Dockerfile."
grep -q 'unittest' <<<"$steps" ||
  fail "web:test does not run the unit tests: it stops before the test stage. Which stage did you ask for?"
grep -q 'COPY app.py' <<<"$steps" ||
  fail "web:test was not built from /root/app/Dockerfile: it has no COPY app.py step."
pass
