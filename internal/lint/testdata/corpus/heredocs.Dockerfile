# syntax=docker/dockerfile:1.4
FROM debian:bookworm-20240311-slim

RUN <<EOT bash
  set -ex
  apt-get update
  apt-get install -y --no-install-recommends \
    vim=2:9.0.1378-2
  rm -rf /var/lib/apt/lists/*
EOT

COPY <<EOF /etc/apt/apt.conf.d/99no-recommends
APT::Install-Recommends "false";
# apt-get install curl would be a comment here, not a command
EOF

RUN <<EOF
#!/usr/bin/env python3
import subprocess
subprocess.run(["pip", "install", "requests"])
EOF

RUN <<-EOF
	#!/bin/sh
	set -e
	curl -fsSL https://get.docker.com | sh
EOF

RUN ["/bin/bash", "-c", "set -o pipefail && wget -qO- https://example.com/setup.sh | bash"]

RUN python3 <<EOF
print("apt-get upgrade is just text for python")
EOF

RUN cat <<EOF > /usr/local/bin/hello && chmod +x /usr/local/bin/hello
#!/bin/sh
apk add curl
EOF
