# The imagedrift CLI for CI systems other than GitHub Actions:
#   docker build --build-arg VERSION=v1.0.0 -t imagedrift .
#   docker run --rm -v "$PWD:/work" -w /work imagedrift lint Dockerfile
# Both base images are pinned by digest, so a rebuild of the same commit
# starts from the same images.
FROM golang:1.26@sha256:9edf71320ef8a791c4c33ec79f90496d641f306a91fb112d3d060d5c1cee4e20 AS build
WORKDIR /src
# The modules first, in their own layer, cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-X main.version=${VERSION}" -o /out/imagedrift ./cmd/imagedrift

FROM gcr.io/distroless/static-debian12:nonroot@sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab
ARG VERSION=dev
LABEL org.opencontainers.image.title="imagedrift" \
      org.opencontainers.image.description="Diffs two container images (packages, files, config) and lints Dockerfiles for drift sources" \
      org.opencontainers.image.source="https://github.com/imagedrift/imagedrift" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/static-debian12:nonroot" \
      org.opencontainers.image.base.digest="sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab"
COPY --from=build /out/imagedrift /imagedrift
USER nonroot:nonroot
ENTRYPOINT ["/imagedrift"]
