//go:build browser

package browsercheck

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var (
	pagesDir = flag.String("pages", "", "directory with one subdirectory per page kind (conformance, certificate, load, capacity, all), each holding report.html; empty: the golden pages of the report packages")
	shotsDir = flag.String("shots", "", "directory to save a PNG screenshot of each page kind to (docs/img); empty: none")
)

// pageKind is what a kind of page must show.
type pageKind struct {
	name string
	// selectors that must match at least once.
	must []string
	// charts is the least number of svg.chart elements with drawn data.
	charts int
}

// kinds are the page kinds, by the subdirectory (or golden file) they come from.
var kinds = map[string]pageKind{
	"conformance": {name: "conformance", must: []string{".banner", "table.matrix tbody tr", "td.cell"}},
	"certificate": {name: "certificate", must: []string{".banner", "table.checks tbody tr"}},
	"load":        {name: "load", must: []string{".banner", "figure.chart"}, charts: 4},
	"capacity":    {name: "capacity", must: []string{".banner", "p.conclusion"}, charts: 2},
	"all":         {name: "all", must: []string{".banner", "nav.toc", "table.matrix", "figure.chart"}, charts: 4},
}

// goldenPages are the report packages' golden HTML files, by page kind.
var goldenPages = map[string]string{
	"conformance": "../testdata/conformance-failed.html.golden",
	"certificate": "../testdata/certificate-failed.html.golden",
	"load":        "../loadreport/testdata/load-troubled.html.golden",
	"capacity":    "../loadreport/testdata/capacity-only.html.golden",
}

// chromium finds the browser, or skips the test saying how to install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on PATH: install Debian's chromium package (apt-get install -y chromium) to check the report pages in a browser")
	return ""
}

func pages(t *testing.T) map[string]string {
	t.Helper()
	if *pagesDir == "" {
		return htmlCopies(t, goldenPages)
	}
	out := map[string]string{}
	for kind := range kinds {
		p := filepath.Join(*pagesDir, kind, "report.html")
		if _, err := os.Stat(p); err == nil {
			out[kind] = p
		}
	}
	if len(out) == 0 {
		t.Fatalf("-pages %s holds no KIND/report.html (kinds: conformance, certificate, load, capacity, all)", *pagesDir)
	}
	return out
}

// htmlCopies copies the golden files to names ending in .html: Chromium
// downloads a file:// page of an unknown extension instead of showing it.
func htmlCopies(t *testing.T, golden map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}
	for kind, src := range golden {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, kind+".html")
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out[kind] = dst
	}
	return out
}

// browser starts headless Chromium with the flags that keep it from
// reaching for the network (it hangs on a closed one otherwise).
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1400),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil { // starts the browser; no timeout on this first run (it would stop the browser)
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// problems collects what the page reports going wrong.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// listener records script exceptions, console and browser-log errors, and
// any request that is not for the page file itself.
func (p *problems) listener(page string) func(ev any) {
	return func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			p.add("script error: %s", exceptionText(e.ExceptionDetails))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				p.add("console %s: %s", e.Type, argsText(e.Args))
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				p.add("browser log error: %s %s", e.Entry.Text, e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if e.Request.URL != page && !strings.HasPrefix(e.Request.URL, "data:") {
				p.add("request to %s: the page must be self-contained", e.Request.URL)
			}
		}
	}
}

func argsText(args []*runtime.RemoteObject) string {
	var s []string
	for _, a := range args {
		v := string(a.Value)
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		}
		s = append(s, v+a.Description)
	}
	return strings.Join(s, " ")
}

// chartsWithData counts the charts that draw at least one series or area
// with a real path, and the charts in all.
const chartsWithData = `(() => {
  const all = [...document.querySelectorAll('svg.chart')];
  const drawn = all.filter(s => s.getBoundingClientRect().width > 100 &&
    [...s.querySelectorAll('path.series, path.area')].some(p => (p.getAttribute('d') || '').split(/[ML]/).length > 2));
  return [drawn.length, all.length];
})()`

func TestPagesInChromium(t *testing.T) {
	ctx := browser(t)
	for kind, path := range pages(t) {
		t.Run(kind, func(t *testing.T) {
			shot := ""
			if *shotsDir != "" {
				shot = filepath.Join(*shotsDir, "report-"+kind+".png")
			}
			found, err := inspect(ctx, kinds[kind], path, shot)
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range found {
				t.Errorf("%s: %s", path, msg)
			}
		})
	}
}

// brokenPage breaks a good page in every way the check must catch.
const brokenPage = `<script>throw new Error("boom")</script><script>console.error("bad", 1)</script>
<img src="http://127.0.0.1:9/tracker.png" alt="">
<svg class="chart" width="600" height="200"><path class="series s1" d=""/></svg>
</body>`

// TestBrokenPageIsCaught: a script error, a console error, a network
// request and a chart without data are each reported.
func TestBrokenPageIsCaught(t *testing.T) {
	ctx := browser(t)
	good, err := os.ReadFile(goldenPages["load"])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(path, []byte(strings.Replace(string(good), "</body>", brokenPage, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	found, err := inspect(ctx, kinds["load"], path, "")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(found, "\n")
	for _, want := range []string{"script error: Uncaught", "boom", "console error: bad 1", "request to http://127.0.0.1:9/tracker.png", "charts draw data"} {
		if !strings.Contains(all, want) {
			t.Errorf("not reported: %q; reported:\n%s", want, all)
		}
	}
}

// inspect loads the page in a new tab and returns what is wrong with it;
// shot, when set, is where its screenshot goes.
func inspect(browserCtx context.Context, k pageKind, path, shot string) ([]string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	page := (&url.URL{Scheme: "file", Path: abs}).String()
	var p problems
	tab, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(p.listener(page)))
	defer cancel()
	if err := chromedp.Do(tab); err != nil { // opens the tab, listening from its first event
		return nil, err
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 30*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := p.inspectDOM(ctx, k); err != nil {
		return nil, err
	}
	if shot != "" {
		if err := screenshot(ctx, shot); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.list...), nil
}

// inspectDOM checks the title, the page kind's elements and the charts.
func (p *problems) inspectDOM(ctx context.Context, k pageKind) error {
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		return err
	}
	if !strings.Contains(title, ": ") {
		p.add("title %q does not state a verdict", title)
	}
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](chartsWithData))
	if err != nil || len(counts) != 2 {
		return fmt.Errorf("counting charts: %v %v", counts, err)
	}
	if counts[0] < k.charts || counts[0] != counts[1] {
		p.add("%d of %d charts draw data; want every chart, and at least %d", counts[0], counts[1], k.charts)
	}
	for _, sel := range k.must {
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel))); err != nil || n == 0 {
			p.add("nothing matches %s (%v)", sel, err)
		}
	}
	return nil
}

// screenshot saves the top of the page (the verdict and the first tables
// and charts), as a person first sees it.
func screenshot(ctx context.Context, path string) error {
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// exceptionText is an exception's message and where it was thrown.
func exceptionText(d *runtime.ExceptionDetails) string {
	s := d.Text
	if d.Exception != nil {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d:%d)", s, d.URL, d.LineNumber, d.ColumnNumber)
}
