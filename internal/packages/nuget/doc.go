// Package nuget catalogs the NuGet packages a .NET application or shared
// framework runs with, from its *.deps.json dependency manifest.
package nuget
