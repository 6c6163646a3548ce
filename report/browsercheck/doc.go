// Package browsercheck loads callcheck's HTML report pages in headless
// Chromium and fails on what a person would see broken: a script error, a
// console error, a request to the network (the pages are self-contained), a
// chart without data, a missing verdict. It saves a screenshot of each page
// kind. Its test needs Chromium and runs only with the build tag "browser":
//
//	go test -tags browser ./report/browsercheck                        # the golden pages of the report packages
//	go test -tags browser ./report/browsercheck -pages DIR -shots docs/img # pages of a real run (scripts/verify-reports.sh)
//
// Without Chromium (Debian's chromium package) the test skips, saying so.
package browsercheck
