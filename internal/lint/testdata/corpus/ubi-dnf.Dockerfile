FROM registry.access.redhat.com/ubi9/ubi-minimal:9.3

RUN microdnf update -y && \
    microdnf install -y java-17-openjdk-headless shadow-utils tzdata-2024a && \
    microdnf clean all

FROM quay.io/centos/centos:stream9 AS tools
RUN dnf -y --setopt=tsflags=nodocs install \
        nginx-1.20.1 \
        python3-pip \
    && dnf clean all
RUN pip3 install --no-cache-dir ansible-core~=2.16 'jinja2==3.1.3'
