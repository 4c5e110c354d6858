// Package java catalogs Java archives (.jar, .war, .ear and the Jenkins
// plugin formats .jpi and .hpi) from their Maven pom.properties files or
// their manifest, looking one level into the archives they bundle.
package java
