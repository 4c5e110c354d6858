package lint

import (
	"reflect"
	"strconv"
	"testing"
)

func TestSteps(t *testing.T) {
	src := []byte(`ARG VERSION=3.12
FROM python:${VERSION}-slim AS deps
RUN apt-get update && \
    apt-get install -y  curl
COPY --chown=app requirements.txt /app/

FROM golang:1.22 AS build
RUN go build ./...

FROM deps
ENV A=1
COPY --from=build /out/app /usr/local/bin/app
CMD ["app"]
`)
	base, steps, err := Steps("Dockerfile", src, "")
	if err != nil {
		t.Fatal(err)
	}
	if base.Ref != "python:3.12-slim" || base.Kind != KindImage || base.Line != 2 {
		t.Errorf("base %+v", base)
	}
	var got []string
	for _, s := range steps {
		got = append(got, s.Keyword+"|"+s.Args+"|"+strconv.Itoa(s.Line))
	}
	want := []string{
		"RUN|apt-get update && apt-get install -y curl|3",
		"COPY|requirements.txt /app/|5",
		"ENV|A=1|11",
		"COPY|/out/app /usr/local/bin/app|12",
		`CMD|["app"]|13`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("steps\n got %q\nwant %q", got, want)
	}
	if steps[0].Text != "RUN apt-get update && apt-get install -y curl" || !steps[0].Layered() || steps[2].Layered() {
		t.Errorf("first step %+v", steps[0])
	}
	if _, _, err := Steps("Dockerfile", src, "nope"); err == nil {
		t.Error("Steps accepted a target that names no stage")
	}
	base, steps, _ = Steps("Dockerfile", []byte("FROM scratch\nCOPY app /\n"), "")
	if base.Kind != KindScratch || len(steps) != 1 {
		t.Errorf("scratch: %+v %+v", base, steps)
	}
}
