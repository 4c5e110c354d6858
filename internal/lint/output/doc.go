// Package output renders lint findings as text, JSON or SARIF 2.1.0.
package output
