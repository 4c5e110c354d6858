package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/units"
)

func init() {
	commands["inventory"] = command{summary: "list the files, packages and config of one image", run: runInventory}
}

func runInventory(ctx context.Context, args []string, s streams, d *deps) error {
	fs := flag.NewFlagSet("inventory", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	format := fs.String("format", "text", "output format: text or json")
	output := fs.String("output", "", "write to `FILE` instead of stdout (- is stdout; a device or FIFO is written, never replaced)")
	platform := fs.String("platform", "", "pick `os/arch[/variant]` from a multi-platform image (default linux/host arch)")
	progress := fs.Bool("progress", false, "report each layer read on stderr (default: only when stderr is a terminal)")
	cacheDir := addCacheFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(s.Err, "usage: imagedrift inventory IMAGE [--format text|json] [--output FILE] [--platform os/arch] [--cache-dir DIR | --no-cache]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usagef("inventory takes one IMAGE reference, got %d", fs.NArg())
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: want text or json", *format)
	}
	o := loadOptions{Platform: *platform, CacheDir: cacheDir(), Program: version, Warn: func(m string) { warn(s.Err, m) }}
	if *progress || s.ErrTTY {
		o.Progress = s.Err
	}
	inv, err := load.One(ctx, load.NewIndexer(o), fs.Arg(0), o)
	if err != nil {
		return err
	}
	return writeOutput(*output, s.Out, func(w io.Writer) error {
		if *format == "json" {
			return inventory.WriteJSON(w, inv)
		}
		return writeInventoryText(w, inv)
	})
}

// parseFlags parses flags anywhere on the line (IMAGE first is natural).
func parseFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return errHelp
			}
			return usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func writeInventoryText(w io.Writer, inv *inventory.Inventory) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "image\t%s\n", inv.Ref)
	if inv.Digest != "" {
		fmt.Fprintf(tw, "digest\t%s\n", inv.Digest)
	}
	fmt.Fprintf(tw, "config\t%s\n", inv.ConfigDigest)
	fmt.Fprintf(tw, "platform\t%s\n", inv.Platform)
	if inv.OS.PrettyName != "" || inv.OS.ID != "" {
		fmt.Fprintf(tw, "os\t%s\n", firstNonEmpty(inv.OS.PrettyName, inv.OS.ID+" "+inv.OS.VersionID))
	}
	fmt.Fprintf(tw, "layers\t%d (%s stored, %s of files)\n", len(inv.Layers), units.Bytes(inv.CompressedSize), units.Bytes(inv.Size))
	fmt.Fprintf(tw, "files\t%d\n", len(inv.Files))
	counts := map[string]int{}
	for _, p := range inv.Packages {
		counts[p.Ecosystem]++
	}
	var eco []string
	for e := range counts {
		eco = append(eco, e)
	}
	sort.Strings(eco)
	var parts []string
	for _, e := range eco {
		parts = append(parts, fmt.Sprintf("%s %d", e, counts[e]))
	}
	fmt.Fprintf(tw, "packages\t%d (%s)\n", len(inv.Packages), strings.Join(parts, ", "))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range eco {
		fmt.Fprintf(w, "\n%s (%d)\n", e, counts[e])
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range inv.Packages {
			if p.Ecosystem == e {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Name, p.Version, p.Arch, p.Location)
			}
		}
		tw.Flush()
	}
	if len(inv.Warnings) > 0 {
		fmt.Fprintf(w, "\nwarnings (%d)\n", len(inv.Warnings))
		for _, wr := range inv.Warnings {
			fmt.Fprintf(w, "  %s\n", wr)
		}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return strings.TrimSpace(b)
}
