package lint

import "testing"

func TestOSPackageRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"apt-get upgrade", RulePackageUpgrade, pinnedFrom + "RUN apt-get update && apt-get -y upgrade\n", Options{}, []int{2}},
		{"dist-upgrade", RulePackageUpgrade, pinnedFrom + "RUN apt-get dist-upgrade -y\n", Options{}, []int{2}},
		{"apt full-upgrade", RulePackageUpgrade, pinnedFrom + "RUN apt full-upgrade -y\n", Options{}, []int{2}},
		{"apk upgrade", RulePackageUpgrade, pinnedFrom + "RUN apk upgrade --no-cache\n", Options{}, []int{2}},
		{"dnf update", RulePackageUpgrade, pinnedFrom + "RUN dnf -y update && dnf clean all\n", Options{}, []int{2}},
		{"yum upgrade", RulePackageUpgrade, pinnedFrom + "RUN yum upgrade -y\n", Options{}, []int{2}},
		{"apt-get update only", RulePackageUpgrade, pinnedFrom + "RUN apt-get update\n", Options{}, nil},
		{"apk update only", RulePackageUpgrade, pinnedFrom + "RUN apk update\n", Options{}, nil},
		{"echoed", RulePackageUpgrade, pinnedFrom + "RUN echo apt-get upgrade\n", Options{}, nil},
		{"suppressed", RulePackageUpgrade, pinnedFrom + "# imagedrift:ignore package-upgrade\nRUN apt-get upgrade -y\n", Options{}, nil},

		{"apt-get install", RuleAptUnpinned, pinnedFrom + "RUN apt-get install -y --no-install-recommends curl ca-certificates\n", Options{}, []int{2}},
		{"one of several", RuleAptUnpinned, pinnedFrom + "RUN apt-get install -y curl=7.88.1-10+deb12u5 git\n", Options{}, []int{2}},
		{"all pinned", RuleAptUnpinned, pinnedFrom + "RUN apt-get install -y curl=7.88.1-10+deb12u5 git=1:2.39.2-1.1\n", Options{}, nil},
		{"pinned by variable", RuleAptUnpinned, pinnedFrom + "ARG CURL_V\nRUN apt-get install -y curl=${CURL_V}\n", Options{}, nil},
		{"list the file cannot tell", RuleAptUnpinned, pinnedFrom + "RUN apt-get install -y $(cat /tmp/packages)\n", Options{}, nil},
		{"local deb", RuleAptUnpinned, pinnedFrom + "RUN apt-get install -y ./vendor.deb\n", Options{}, nil},
		{"option value", RuleAptUnpinned, pinnedFrom + "RUN apt-get -o Dpkg::Options::=--force-confnew install -y -t bookworm-backports tzdata=2024a-0+deb12u1\n", Options{}, nil},
		{"apt install", RuleAptUnpinned, pinnedFrom + "RUN DEBIAN_FRONTEND=noninteractive apt install -y jq\n", Options{}, []int{2}},
		{"suppressed", RuleAptUnpinned, pinnedFrom + "# imagedrift:ignore apt-unpinned\nRUN apt-get install -y curl\n", Options{}, nil},

		{"apk add", RuleApkUnpinned, pinnedFrom + "RUN apk add --no-cache curl bash\n", Options{}, []int{2}},
		{"apk pinned", RuleApkUnpinned, pinnedFrom + "RUN apk add --no-cache curl=8.5.0-r0 bash~5.2\n", Options{}, nil},
		{"virtual name", RuleApkUnpinned, pinnedFrom + "RUN apk add --virtual .build-deps gcc=13.2.1_git20231014-r0\n", Options{}, nil},
		{"suppressed", RuleApkUnpinned, pinnedFrom + "# imagedrift:ignore apk-unpinned\nRUN apk add curl\n", Options{}, nil},

		{"dnf install", RuleRpmUnpinned, pinnedFrom + "RUN dnf install -y python3-pip java-17-openjdk-headless\n", Options{}, []int{2}},
		{"microdnf pinned", RuleRpmUnpinned, pinnedFrom + "RUN microdnf install -y nginx-1.20.1 tzdata-2024a\n", Options{}, nil},
		{"yum group and url", RuleRpmUnpinned, pinnedFrom + "RUN yum install -y @development https://x.example/epel-release-latest-9.noarch.rpm\n", Options{}, nil},
		{"zypper", RuleRpmUnpinned, pinnedFrom + "RUN zypper --non-interactive install -y curl\n", Options{}, []int{2}},
		{"suppressed", RuleRpmUnpinned, pinnedFrom + "# imagedrift:ignore rpm-unpinned\nRUN yum install -y curl\n", Options{}, nil},
	})
}

func TestLanguagePackageRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"pip name", RulePipUnpinned, pinnedFrom + "RUN pip install --no-cache-dir requests\n", Options{}, []int{2}},
		{"pip range", RulePipUnpinned, pinnedFrom + "RUN pip3 install 'django>=4.2'\n", Options{}, []int{2}},
		{"python -m pip", RulePipUnpinned, pinnedFrom + "RUN python3 -m pip install --upgrade pip\n", Options{}, []int{2}},
		{"uv pip", RulePipUnpinned, pinnedFrom + "RUN uv pip install --system httpx\n", Options{}, []int{2}},
		{"pinned", RulePipUnpinned, pinnedFrom + "RUN pip install requests==2.31.0 'uvicorn[standard]==0.29.0'\n", Options{}, nil},
		{"requirements file", RulePipUnpinned, pinnedFrom + "RUN pip install --no-cache-dir -r requirements.txt\n", Options{}, nil},
		{"project without deps", RulePipUnpinned, pinnedFrom + "RUN pip install --no-deps .\n", Options{}, nil},
		{"project after locked deps", RulePipUnpinned, pinnedFrom + "RUN pip install --require-hashes -r requirements.lock\nCOPY . .\nRUN pip install -e .\n", Options{}, nil},
		{"project alone", RulePipUnpinned, pinnedFrom + "COPY . .\nRUN pip install .\n", Options{}, []int{3}},
		{"index url value", RulePipUnpinned, pinnedFrom + "RUN pip install -i https://pypi.example/simple torch==2.2.1\n", Options{}, nil},
		{"pip download is not install", RulePipUnpinned, pinnedFrom + "RUN pip download requests\n", Options{}, nil},
		{"suppressed", RulePipUnpinned, pinnedFrom + "# imagedrift:ignore pip-unpinned\nRUN pip install requests\n", Options{}, nil},

		{"npm install", RuleNpmInstall, pinnedFrom + "RUN npm install\n", Options{}, []int{2}},
		{"npm install flags only", RuleNpmInstall, pinnedFrom + "RUN npm install --omit dev --no-audit\n", Options{}, []int{2}},
		{"npm ci", RuleNpmInstall, pinnedFrom + "RUN npm ci --omit=dev\n", Options{}, nil},
		{"npm install -g pinned", RuleNpmInstall, pinnedFrom + "RUN npm install -g npm@10.5.0 @angular/cli@17.3.2\n", Options{}, nil},
		{"npm install -g unpinned", RuleNpmInstall, pinnedFrom + "RUN npm i -g @angular/cli typescript@^5\n", Options{}, []int{2}},
		{"yarn install", RuleNpmInstall, pinnedFrom + "RUN yarn install --production\n", Options{}, []int{2}},
		{"bare yarn", RuleNpmInstall, pinnedFrom + "RUN yarn\n", Options{}, []int{2}},
		{"yarn frozen", RuleNpmInstall, pinnedFrom + "RUN yarn install --frozen-lockfile && yarn build\n", Options{}, nil},
		{"yarn immutable", RuleNpmInstall, pinnedFrom + "RUN yarn install --immutable\n", Options{}, nil},
		{"pnpm frozen", RuleNpmInstall, pinnedFrom + "RUN pnpm install --frozen-lockfile\n", Options{}, nil},
		{"corepack latest", RuleNpmInstall, pinnedFrom + "RUN corepack prepare pnpm@latest --activate\n", Options{}, []int{2}},
		{"corepack pinned", RuleNpmInstall, pinnedFrom + "RUN corepack prepare pnpm@8.15.5 --activate\n", Options{}, nil},
		{"suppressed", RuleNpmInstall, pinnedFrom + "# imagedrift:ignore npm-install\nRUN npm install\n", Options{}, nil},

		{"gem install", RuleGemUnpinned, pinnedFrom + "RUN gem install bundler\n", Options{}, []int{2}},
		{"gem -v", RuleGemUnpinned, pinnedFrom + "RUN gem install bundler -v 2.5.6 --no-document\n", Options{}, nil},
		{"gem name:version", RuleGemUnpinned, pinnedFrom + "RUN gem install rails:7.1.3\n", Options{}, nil},
		{"gem update --system", RuleGemUnpinned, pinnedFrom + "RUN gem update --system\n", Options{}, []int{2}},
		{"gem update --system version", RuleGemUnpinned, pinnedFrom + "RUN gem update --system 3.5.6\n", Options{}, nil},
		{"bundle install", RuleGemUnpinned, pinnedFrom + "RUN bundle install --jobs 4\n", Options{}, nil},
		{"suppressed", RuleGemUnpinned, pinnedFrom + "# imagedrift:ignore gem-unpinned\nRUN gem install bundler\n", Options{}, nil},

		{"go install latest", RuleGoInstallLatest, pinnedFrom + "RUN go install github.com/air-verse/air@latest\n", Options{}, []int{2}},
		{"go install branch", RuleGoInstallLatest, pinnedFrom + "RUN go install golang.org/x/tools/gopls@master\n", Options{}, []int{2}},
		{"go install major query", RuleGoInstallLatest, pinnedFrom + "RUN go install github.com/x/y/cmd/z@v1\n", Options{}, []int{2}},
		{"go install version", RuleGoInstallLatest, pinnedFrom + "RUN go install github.com/x/y/cmd/z@v1.2.3 golang.org/x/tools/cmd/goimports@v0.0.0-20240101000000-abcdefabcdef\n", Options{}, nil},
		{"go install local", RuleGoInstallLatest, pinnedFrom + "RUN go install ./cmd/...\n", Options{}, nil},
		{"go install remote in a module", RuleGoInstallLatest, pinnedFrom + "RUN go install github.com/x/y/cmd/z\n", Options{}, nil},
		{"go install remote in GOPATH mode", RuleGoInstallLatest, pinnedFrom + "ENV GO111MODULE=off\nRUN go install github.com/x/y/cmd/z\n", Options{}, []int{3}},
		{"go get", RuleGoInstallLatest, pinnedFrom + "RUN go get github.com/x/y\n", Options{}, []int{2}},
		{"go build is not", RuleGoInstallLatest, pinnedFrom + "RUN go build -o /app github.com/x/y\n", Options{}, nil},
		{"version from ARG", RuleGoInstallLatest, pinnedFrom + "ARG V=latest\nRUN go install github.com/x/y@${V}\n", Options{}, []int{3}},
		{"suppressed", RuleGoInstallLatest, pinnedFrom + "# imagedrift:ignore go-install-latest\nRUN go install github.com/x/y@latest\n", Options{}, nil},

		{"composer update", RuleComposerUnpinned, pinnedFrom + "RUN composer update --no-dev\n", Options{}, []int{2}},
		{"composer require", RuleComposerUnpinned, pinnedFrom + "RUN composer require guzzlehttp/guzzle\n", Options{}, []int{2}},
		{"composer require range", RuleComposerUnpinned, pinnedFrom + "RUN composer require 'monolog/monolog:^3.0'\n", Options{}, []int{2}},
		{"composer require exact", RuleComposerUnpinned, pinnedFrom + "RUN composer require monolog/monolog:3.5.0 php-http/guzzle7-adapter 1.0.0\n", Options{}, nil},
		{"install without lock", RuleComposerUnpinned, pinnedFrom + "COPY composer.json ./\nRUN composer install --no-dev\n", Options{}, []int{3}},
		{"install with lock", RuleComposerUnpinned, pinnedFrom + "COPY composer.json composer.lock ./\nRUN composer install --no-dev\n", Options{}, nil},
		{"install with glob", RuleComposerUnpinned, pinnedFrom + "COPY composer.* ./\nRUN php composer.phar install\n", Options{}, nil},
		{"install after whole context", RuleComposerUnpinned, pinnedFrom + "COPY . .\nRUN composer install\n", Options{}, nil},
		{"suppressed", RuleComposerUnpinned, pinnedFrom + "# imagedrift:ignore composer-unpinned\nRUN composer update\n", Options{}, nil},
	})
}

func TestCopyPrebuilt(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"jar", RuleCopyPrebuilt, pinnedFrom + "COPY target/app-1.0.jar /app.jar\n", Options{}, []int{2}},
		{"dist dir", RuleCopyPrebuilt, pinnedFrom + "COPY dist/ /usr/share/nginx/html/\n", Options{}, []int{2}},
		{"binary into bin", RuleCopyPrebuilt, pinnedFrom + "COPY myservice /usr/local/bin/\n", Options{}, []int{2}},
		{"ADD of a wheel", RuleCopyPrebuilt, pinnedFrom + "ADD wheels/app-1.0-py3-none-any.whl /tmp/\n", Options{}, []int{2}},
		{"built in a stage", RuleCopyPrebuilt, pinnedFrom[:len(pinnedFrom)-1] + " AS build\nRUN make\n" + pinnedFrom + "COPY --from=build /src/bin/app /usr/local/bin/app\nCOPY bin/app /x\n", Options{}, nil},
		{"built in the file", RuleCopyPrebuilt, pinnedFrom + "COPY . .\nRUN go build -o /out/app .\nCOPY bin/tool /usr/local/bin/\n", Options{}, nil},
		{"scripts", RuleCopyPrebuilt, pinnedFrom + "COPY bin/docker-entrypoint.sh /usr/local/bin/\nCOPY build/nginx.conf /etc/nginx/\n", Options{}, nil},
		{"sources", RuleCopyPrebuilt, pinnedFrom + "COPY src/ /app/src/\nCOPY package.json /app/\n", Options{}, nil},
		{"heredoc", RuleCopyPrebuilt, pinnedFrom + "COPY <<EOF /usr/local/bin/hello\n#!/bin/sh\necho hi\nEOF\n", Options{}, nil},
		{"suppressed", RuleCopyPrebuilt, pinnedFrom + "# imagedrift:ignore copy-prebuilt\nCOPY target/app.jar /app.jar\n", Options{}, nil},
	})
}
