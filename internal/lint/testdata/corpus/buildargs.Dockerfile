ARG BASE_IMAGE
ARG REGISTRY=docker.io
FROM ${REGISTRY}/library/nginx:1.25 AS web

FROM ${BASE_IMAGE} AS app
ARG APP_VERSION=0.0.0
ARG BUILD_NUMBER
ARG NPM_TOKEN
LABEL version=$APP_VERSION
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && \
    echo "$APP_VERSION+$BUILD_NUMBER" > /etc/app-version
COPY --from=web /etc/nginx/nginx.conf /etc/nginx/nginx.conf

FROM app AS test
ARG TEST_FLAGS=-v
RUN make test ARGS="$TEST_FLAGS"
