package certify_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync/atomic"

	"github.com/callcheck/callcheck/certify"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/refbot"
	"github.com/callcheck/callcheck/report"
)

// Example certifies a bot from a Go test: the reference bot, driven
// in-process, for peer-to-peer calls. A vendor does the same with its own
// bot, or runs `callcheck certify-bot` with shell triggers.
func Example() {
	ctx := context.Background()
	var bot atomic.Pointer[refbot.Bot]
	callback := httptest.NewTLSServer(bot2handler(&bot)) // the bot's https callback
	defer callback.Close()

	cfg := certify.NewConfig()
	cfg.Bot = report.Bot{Name: "refbot", Version: "example"}
	cfg.Listen = "127.0.0.1:0"
	cfg.Seed = 1
	cfg.App.Roles = []string{graph.RoleInitiate} // only what a peer-to-peer bot needs
	cfg.BotRootCAs = poolOf(callback)
	cfg.Triggers[certify.KeyP2P] = certify.TriggerFunc(func(ctx context.Context, _ certify.TriggerEnv) ([]byte, error) {
		id, err := bot.Load().Call(ctx, graph.Scenario{Kind: graph.KindPeerToPeer, Media: graph.MediaServiceHosted})
		return []byte(id), err
	})
	cfg.Hangup = certify.TriggerFunc(func(ctx context.Context, env certify.TriggerEnv) ([]byte, error) {
		return nil, bot.Load().Hangup(ctx, env.CallID)
	})

	s, err := certify.Start(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ep := s.Endpoints() // what the bot is configured with
	b, err := refbot.New(ctx, refbot.Config{GraphURL: ep.GraphURLs["v1.0"], TokenURL: ep.TokenURL, OpenIDConfigURL: ep.OpenIDConfigURL,
		TenantID: ep.App.TenantID, ClientID: ep.App.ClientID, ClientSecret: ep.App.ClientSecret, CallbackURL: callback.URL + "/callback"})
	if err != nil {
		fmt.Println(err)
		return
	}
	bot.Store(b)

	cert, err := s.Certify(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d passed, %d failed, %d not supported\n", cert.Verdict, cert.Summary.Passed, cert.Summary.Failed, cert.Summary.NotSupported)
	// Output: passed: 32 passed, 0 failed, 1 not supported
}
