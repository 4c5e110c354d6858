// Command costcurve measures the imagedrift binary on synthetic images
// (see package synthimage) of 10,000 to 1,000,000 files over 1 to 100
// layers: it writes each base/head pair as OCI layouts, runs
// `imagedrift inventory` and `imagedrift diff` on them as a user would,
// and prints a Markdown table of wall and CPU time and peak resident
// memory (the child's maximum RSS, from wait4).
//
//	go run ./internal/inventory/synthimage/costcurve -files 10000,100000,1000000 -layers 1,10,100
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/imagedrift/imagedrift/internal/inventory/synthimage"
)

func main() {
	files := flag.String("files", "10000,100000,1000000", "comma-separated `counts` of files")
	layers := flag.String("layers", "1,10,100", "comma-separated `counts` of layers")
	bin := flag.String("bin", "", "the imagedrift `binary` (default: built from ./cmd/imagedrift)")
	dir := flag.String("dir", "", "where to write the images (default: a temporary folder, removed after)")
	flag.BoolVar(&keep, "keep", false, "keep the last pair's OCI layouts (base, head) in -dir, to profile by hand")
	flag.Parse()
	if err := run(*files, *layers, *bin, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "costcurve:", err)
		os.Exit(2)
	}
}

var keep bool

func run(files, layers, bin, dir string) error {
	fs, err := ints(files)
	if err != nil {
		return err
	}
	ls, err := ints(layers)
	if err != nil {
		return err
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "costcurve"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	if bin == "" {
		bin = filepath.Join(dir, "imagedrift")
		build := exec.Command("go", "build", "-o", bin, "./cmd/imagedrift")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building imagedrift: %w", err)
		}
	}
	fmt.Println("| files | layers | inventory: wall (CPU) | peak RSS | B/file | diff: wall (CPU) | peak RSS | B/file (both images) |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, f := range fs {
		for _, l := range ls {
			if err := point(bin, dir, synthimage.Spec{Files: f, Layers: l, Seed: 1}); err != nil {
				return fmt.Errorf("%d files, %d layers: %w", f, l, err)
			}
		}
	}
	return nil
}

// point writes one pair, measures it and prints its row.
func point(bin, dir string, s synthimage.Spec) error {
	base, head, err := s.Pair()
	if err != nil {
		return err
	}
	bdir, hdir := filepath.Join(dir, "base"), filepath.Join(dir, "head")
	os.RemoveAll(bdir)
	os.RemoveAll(hdir)
	if !keep {
		defer os.RemoveAll(bdir)
		defer os.RemoveAll(hdir)
	}
	if err := write(bdir, base); err != nil {
		return err
	}
	if err := write(hdir, head); err != nil {
		return err
	}
	out, inv, err := measure(bin, "inventory", "oci:"+bdir, "--format", "text")
	if err != nil {
		return err
	}
	baseFiles, err := fileCount(out)
	if err != nil {
		return err
	}
	out, _, err = measure(bin, "inventory", "oci:"+hdir, "--format", "text")
	if err != nil {
		return err
	}
	headFiles, err := fileCount(out)
	if err != nil {
		return err
	}
	if _, inv, err = measure(bin, "inventory", "oci:"+bdir, "--format", "json", "--output", os.DevNull); err != nil {
		return err
	}
	_, dif, err := measure(bin, "diff", "oci:"+bdir, "oci:"+hdir, "--format", "json", "--output", os.DevNull)
	if err != nil {
		return err
	}
	fmt.Printf("| %d | %d | %.2f s (%.2f s) | %s | %.0f | %.2f s (%.2f s) | %s | %.0f |\n", baseFiles, s.Layers,
		inv.wall.Seconds(), inv.cpu.Seconds(), mb(inv.rss), float64(inv.rss)/float64(baseFiles),
		dif.wall.Seconds(), dif.cpu.Seconds(), mb(dif.rss), float64(dif.rss)/float64(baseFiles+headFiles))
	return nil
}

func write(dir string, img v1.Image) error {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img)
}

type usage struct {
	wall time.Duration
	cpu  time.Duration // user and system: steadier than wall time on a busy machine
	rss  int64         // bytes
}

// measure runs the binary and returns its standard output, wall time and
// peak RSS. Exit code 1 (policy failed) is a result, not an error.
func measure(bin string, args ...string) ([]byte, usage, error) {
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	u := usage{wall: time.Since(t0)}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			u.rss = ru.Maxrss << 10 // kilobytes on Linux
			u.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		if cmd.ProcessState.ExitCode() == 1 {
			err = nil
		}
	}
	if err != nil {
		return nil, u, fmt.Errorf("%s %s: %v: %s", filepath.Base(bin), strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes(), u, nil
}

// fileCount reads the "files" line of `imagedrift inventory --format text`.
func fileCount(out []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "files" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no files line in the inventory: %q", out)
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q: want positive counts separated by commas", s)
		}
		out = append(out, n)
	}
	return out, nil
}
