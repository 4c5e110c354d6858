// Package composer catalogs PHP packages installed by Composer, from the
// vendor/composer/installed.json it writes (Composer 1 and 2 forms).
package composer
