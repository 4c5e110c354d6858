// Package analysis is the one place where a comparison becomes a report:
// two inventories and the Dockerfile's findings are diffed, contributors
// (a bot's declared updates, known vulnerabilities) add what they know,
// and the policy turns it all into risks and a verdict. The CLI, the
// action and watch mode all call Run, so they cannot drift apart.
package analysis
