package api_test

import (
	"go/parser"
	gotoken "go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The client and its fakes stand apart from the engine: every file of
// this folder and below imports only the standard library, go-github and
// this folder's own packages, so that the engine's packages can never
// leak in and this client can move or be reused as it is.
func TestImportsNoOtherInternalPackage(t *testing.T) {
	const self = "github.com/imagedrift/imagedrift/internal/github/api"
	allowed := func(path string) bool {
		first, _, _ := strings.Cut(path, "/")
		return !strings.Contains(first, ".") || // standard library
			path == "github.com/google/go-github/v57/github" ||
			path == self || strings.HasPrefix(path, self+"/")
	}
	files := 0
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		files++
		f, err := parser.ParseFile(gotoken.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !allowed(path) {
				t.Errorf("%s imports %s", p, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d Go files seen: run from the package folder", files)
	}
}
