FROM ubuntu:22.04 AS builder
RUN apt-get update && apt-get install -y build-essential git cmake
WORKDIR /build
# imagedrift:ignore git-clone-unpinned -- upstream has no tags; tracked by renovate
RUN git clone --recursive https://github.com/example/libfoo.git
RUN git clone https://github.com/example/bar.git && \
    cd bar && git checkout main && \
    cmake -B build && cmake --build build
ADD https://github.com/moby/buildkit.git#v0.12.5 /buildkit
ADD git@github.com:example/private.git /private
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
RUN bash <(curl -s https://codecov.io/bash)

FROM ubuntu:22.04
COPY --from=builder /build/bar/build/bar /usr/local/bin/bar
