# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
RUN go install github.com/go-delve/delve/cmd/dlv@latest && \
    go install golang.org/x/tools/cmd/stringer@v0.19.0
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot@sha256:6a3500eb05d8dcc4e7d8b8c1e6e7f8b8c1a2b3c4d5e6f708192a3b4c5d6e7f80
COPY --from=build /out/server /server
USER nonroot:nonroot
ENTRYPOINT ["/server"]
