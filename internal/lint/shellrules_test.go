package lint

import (
	"strings"
	"testing"
)

func TestPipeToShell(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"curl to sh", RulePipeToShell, pinnedFrom + "RUN curl -fsSL https://get.example.com | sh\n", Options{}, []int{2}},
		{"sudo bash", RulePipeToShell, pinnedFrom + "RUN curl -sL https://deb.nodesource.com/setup_20.x | sudo -E bash -\n", Options{}, []int{2}},
		{"wget to bash", RulePipeToShell, pinnedFrom + "RUN wget -qO- https://x.example/i.sh | bash -s -- --yes\n", Options{}, []int{2}},
		{"python stdin", RulePipeToShell, pinnedFrom + "RUN curl -sSL https://install.python-poetry.org | python3 -\n", Options{}, []int{2}},
		{"through tee", RulePipeToShell, pinnedFrom + "RUN curl -s https://x.example/i.sh | tee /tmp/i.sh | sh\n", Options{}, []int{2}},
		{"sh -c command substitution", RulePipeToShell, pinnedFrom + "RUN sh -c \"$(curl -fsSL https://x.example/install.sh)\"\n", Options{}, []int{2}},
		{"process substitution", RulePipeToShell, pinnedFrom + "RUN bash <(curl -s https://codecov.io/bash)\n", Options{}, []int{2}},
		{"eval", RulePipeToShell, pinnedFrom + "RUN eval \"$(wget -qO- https://x.example/env)\"\n", Options{}, []int{2}},
		{"continuation lines", RulePipeToShell, pinnedFrom + "RUN set -eux; \\\n    curl -fsSL \\\n      https://x.example/i.sh \\\n    | bash\n", Options{}, []int{3}},
		{"nested sh -c", RulePipeToShell, pinnedFrom + "RUN su -s /bin/sh -c true && bash -c 'curl -s https://x.example | sh'\n", Options{}, []int{2}},
		{"exec form", RulePipeToShell, pinnedFrom + "RUN [\"/bin/sh\", \"-c\", \"curl -s https://x.example | sh\"]\n", Options{}, []int{2}},
		{"heredoc", RulePipeToShell, pinnedFrom + "RUN <<EOF\nset -e\ncurl -s https://x.example | sh\nEOF\n", Options{}, []int{4}},
		{"heredoc to bash", RulePipeToShell, pinnedFrom + "RUN bash <<'EOF'\ncurl -s https://x.example | bash\nEOF\n", Options{}, []int{3}},
		{"curl to python -c", RulePipeToShell, pinnedFrom + "RUN curl -s https://api.example/v | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n", Options{}, nil},
		{"curl to tar", RulePipeToShell, pinnedFrom + "RUN curl -fsSL https://x.example/t.tgz | tar -xz -C /opt\n", Options{}, nil},
		{"curl to gpg", RulePipeToShell, pinnedFrom + "RUN curl -fsSL https://x.example/key | gpg --dearmor -o /k.gpg\n", Options{}, nil},
		{"echo of substitution", RulePipeToShell, pinnedFrom + "RUN sh -c \"echo $(curl -s https://x.example/v)\"\n", Options{}, nil},
		{"script file", RulePipeToShell, pinnedFrom + "RUN curl -o i.sh https://x.example/i.sh && sh i.sh\n", Options{}, nil},
		{"powershell shell", RulePipeToShell, pinnedFrom + "SHELL [\"powershell\", \"-Command\"]\nRUN iwr https://x.example/i.ps1 | iex; curl https://x | sh\n", Options{}, nil},
		{"python heredoc", RulePipeToShell, pinnedFrom + "RUN <<EOF\n#!/usr/bin/env python3\nprint('curl x | sh')\nEOF\n", Options{}, nil},
		{"comment", RulePipeToShell, pinnedFrom + "RUN true # curl -s https://x | sh\n", Options{}, nil},
		{"suppressed", RulePipeToShell, pinnedFrom + "# imagedrift:ignore pipe-to-shell, apt-unpinned (vendored installer)\nRUN curl -fsSL https://get.example.com | sh\n", Options{}, nil},
	})
}

func TestAddAndGitRules(t *testing.T) {
	sum := "--checksum=sha256:" + strings.Repeat("e", 64)
	runRuleCases(t, []ruleCase{
		{"url", RuleAddURLNoChecksum, pinnedFrom + "ADD https://example.com/tool.tar.gz /tmp/\n", Options{}, []int{2}},
		{"url with checksum", RuleAddURLNoChecksum, pinnedFrom + "ADD " + sum + " https://example.com/tool.tar.gz /tmp/\n", Options{}, nil},
		{"local file", RuleAddURLNoChecksum, pinnedFrom + "ADD rootfs.tar.xz /\n", Options{}, nil},
		{"git url is another rule", RuleAddURLNoChecksum, pinnedFrom + "ADD https://github.com/moby/buildkit.git /src\n", Options{}, nil},
		{"suppressed", RuleAddURLNoChecksum, pinnedFrom + "# imagedrift:ignore add-url-no-checksum\nADD https://example.com/tool.tar.gz /tmp/\n", Options{}, nil},

		{"clone default branch", RuleGitCloneUnpinned, pinnedFrom + "RUN git clone https://github.com/x/y.git /src\n", Options{}, []int{2}},
		{"clone branch", RuleGitCloneUnpinned, pinnedFrom + "RUN git clone -b main --depth 1 https://github.com/x/y.git\n", Options{}, []int{2}},
		{"clone tag", RuleGitCloneUnpinned, pinnedFrom + "RUN git clone --branch v1.4.2 --depth 1 https://github.com/x/y.git\n", Options{}, nil},
		{"clone then checkout sha", RuleGitCloneUnpinned, pinnedFrom + "RUN git clone https://github.com/x/y.git && cd y && git checkout 3f2a9c1d\n", Options{}, nil},
		{"checkout in later RUN", RuleGitCloneUnpinned, pinnedFrom + "RUN git clone https://github.com/x/y.git /y\nWORKDIR /y\nRUN git -C /y reset --hard 3f2a9c1d7e6b\n", Options{}, nil},
		{"checkout of a branch", RuleGitCloneUnpinned, pinnedFrom + "RUN git clone https://github.com/x/y.git && git -C y checkout develop\n", Options{}, []int{2}},
		{"branch from ARG default", RuleGitCloneUnpinned, pinnedFrom + "ARG REF=main\nRUN git clone -b \"$REF\" https://github.com/x/y.git\n", Options{}, []int{3}},
		{"tag from ARG default", RuleGitCloneUnpinned, pinnedFrom + "ARG REF=v2.0.1\nRUN git clone -b \"$REF\" https://github.com/x/y.git\n", Options{}, nil},
		{"ARG of the parent stage", RuleGitCloneUnpinned, pinnedFrom[:len(pinnedFrom)-1] + " AS a\nARG REF=main\nENV TAG=main\nFROM a\nRUN git clone -b \"$REF\" https://github.com/x/y.git\nRUN git clone -b \"$TAG\" https://github.com/x/z.git\n", Options{}, []int{6}},
		{"ref the file cannot tell", RuleGitCloneUnpinned, pinnedFrom + "ARG REF\nRUN git clone -b \"$REF\" https://github.com/x/y.git\n", Options{}, nil},
		{"ADD git at branch", RuleGitCloneUnpinned, pinnedFrom + "ADD https://github.com/x/y.git#main /src\n", Options{}, []int{2}},
		{"ADD git at tag", RuleGitCloneUnpinned, pinnedFrom + "ADD https://github.com/x/y.git#v0.12.5 /src\n", Options{}, nil},
		{"ADD git with checksum", RuleGitCloneUnpinned, pinnedFrom + "ADD --checksum=" + strings.Repeat("a", 40) + " git@github.com:x/y.git /src\n", Options{}, nil},
		{"suppressed", RuleGitCloneUnpinned, pinnedFrom + "# imagedrift:ignore git-clone-unpinned\nRUN git clone https://github.com/x/y.git /src\n", Options{}, nil},
	})
}
