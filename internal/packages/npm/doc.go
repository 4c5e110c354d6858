// Package npm catalogs installed Node.js packages from the package.json
// at each package root: node_modules trees (nested and scoped, local and
// global) and Debian's /usr/share/nodejs and /usr/lib/nodejs.
package npm
