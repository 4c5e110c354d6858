package main

import (
	"context"
	"fmt"
	"runtime"
)

func init() {
	commands["version"] = command{
		summary: "print the version",
		run: func(_ context.Context, args []string, s streams, _ *deps) error {
			if len(args) > 0 {
				return usagef("version takes no arguments")
			}
			fmt.Fprintf(s.Out, "imagedrift %s %s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
