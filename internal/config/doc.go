// Package config reads imagedrift's configuration file
// (.github/imagedrift.yml): what the diff ignores or counts as noise, the
// risk thresholds and levels, the fail-on default, lint settings and PR
// comment settings. Unknown keys and bad values are errors naming the key
// and its line. testdata/example.yml shows every key.
package config
