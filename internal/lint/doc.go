// Package lint finds the habits in a Dockerfile that make two builds of
// the same commit produce different images (drift sources), using
// BuildKit's own parser for the file and mvdan.cc/sh for RUN scripts.
//
// Rules (ids are stable; levels are defaults, see Options):
//
//	arg-not-recorded      low     build argument changes the build but is not recorded in the image
//	unpinned-base-digest  medium  FROM image:tag without @sha256 digest
//	latest-tag            high    FROM image:latest or without tag
//	from-arg-no-default   medium  FROM ${ARG} where ARG has no default
//	target-mismatch       medium  built target differs from the deployed one
//	unknown-target        high    target names no stage
//	pipe-to-shell         high    curl … | sh, sh -c "$(curl …)", bash <(curl …)
//	add-url-no-checksum   medium  ADD https://… without --checksum
//	git-clone-unpinned    medium  git clone / ADD of a git URL at a branch
//	package-upgrade       medium  apt-get upgrade, apk upgrade, dnf update, …
//	copy-prebuilt         low     COPY of build outputs from the context
//	apt-unpinned          medium  apt-get install without name=version
//	apk-unpinned          medium  apk add without name=version
//	rpm-unpinned          medium  yum/dnf/microdnf/zypper install without versions
//	pip-unpinned          medium  pip install without ==version
//	npm-install           medium  npm install / yarn, pnpm without a frozen lockfile
//	gem-unpinned          medium  gem install without -v
//	go-install-latest     medium  go install …@latest, @branch, @v1
//	composer-unpinned     medium  composer update / require without version / install without lock
//
// rules.md in this directory explains each rule, the choices behind it,
// and the "# imagedrift:ignore RULE" suppression comment.
package lint
