# syntax=docker/dockerfile:1.7@sha256:a57df69d0ea827fb7266491f2813635de6f17269be881f696fbfdf2d83dda33e
ARG ALPINE=alpine:3.19.1@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b

FROM ${ALPINE} AS build
ARG VERSION=1.4.2
LABEL org.opencontainers.image.version="${VERSION}"
RUN apk add --no-cache curl=8.5.0-r0 ca-certificates=20240226-r0
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://github.com/example/tool/releases/download/v1.4.2/tool-linux-amd64.tar.gz /tmp/tool.tgz
RUN tar -xzf /tmp/tool.tgz -C /usr/local/bin && rm /tmp/tool.tgz
RUN git clone --depth 1 --branch v2.3.1 https://github.com/example/plugins.git /opt/plugins
RUN git clone https://github.com/example/themes.git /opt/themes \
    && git -C /opt/themes checkout 4f2c1a9e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a
RUN echo "built ${VERSION}" > /etc/tool-release

FROM build
USER 65534
ENTRYPOINT ["/usr/local/bin/tool"]
