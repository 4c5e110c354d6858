package osvapi

import (
	"os"
	"path/filepath"
)

func osWriteFile(dir, name string, data []byte) error {
	return os.WriteFile(filepath.Join(dir, name), data, 0o600)
}
