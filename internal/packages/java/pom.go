package java

import (
	"bytes"
	"strings"
)

// pomProperties is what Maven writes to
// META-INF/maven/GROUP/ARTIFACT/pom.properties.
type pomProperties struct {
	groupID, artifactID, version string
}

func (p pomProperties) name() string { return p.groupID + ":" + p.artifactID }

// parsePomProperties reads the Java properties file b found at path. A
// missing groupId or artifactId is taken from the path; ok is false when
// neither the file nor the path names the artifact.
func parsePomProperties(b []byte, path string) (p pomProperties, ok bool) {
	for len(b) > 0 {
		var line []byte
		line, b = nextLine(b)
		line = bytes.TrimLeft(line, " \t\f")
		if len(line) == 0 || line[0] == '#' || line[0] == '!' {
			continue
		}
		key, value := splitProperty(line)
		switch key {
		case "groupId":
			p.groupID = value
		case "artifactId":
			p.artifactID = value
		case "version":
			p.version = value
		}
	}
	// META-INF/maven/GROUP/ARTIFACT/pom.properties
	parts := strings.Split(path, "/")
	if len(parts) == 5 {
		if p.groupID == "" {
			p.groupID = parts[2]
		}
		if p.artifactID == "" {
			p.artifactID = parts[3]
		}
	}
	return p, p.groupID != "" && p.artifactID != ""
}

// splitProperty splits a properties line at its first '=', ':' or
// white space, trimming the white space around the separator.
func splitProperty(line []byte) (key, value string) {
	i := bytes.IndexAny(line, "=: \t\f")
	if i < 0 {
		return string(line), ""
	}
	key = string(line[:i])
	rest := bytes.TrimLeft(line[i:], " \t\f")
	if len(rest) > 0 && (rest[0] == '=' || rest[0] == ':') {
		rest = bytes.TrimLeft(rest[1:], " \t\f")
	}
	return key, strings.TrimRight(string(rest), " \t\f")
}
