package certify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/callcheck/callcheck/report"
)

func TestConfigValidate(t *testing.T) {
	noop := TriggerFunc(func(context.Context, TriggerEnv) ([]byte, error) { return nil, nil })
	valid := func() Config {
		c := NewConfig()
		c.Bot = report.Bot{Name: "bot", Version: "1"}
		c.Triggers[KeyP2P] = noop
		return c
	}
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string // "" for valid
	}{
		{"defaults with a trigger", func(*Config) {}, ""},
		{"wait instead of triggers", func(c *Config) { c.Triggers = nil; c.Wait = time.Second }, ""},
		{"no bot name", func(c *Config) { c.Bot.Name = " " }, "Bot.Name"},
		{"no bot version", func(c *Config) { c.Bot.Version = "" }, "Bot.Version"},
		{"no secret", func(c *Config) { c.App.ClientSecret = "" }, "client secret"},
		// The page's plural spelling is not a permission (§9.1).
		{"plural permission", func(c *Config) { c.App.Roles = []string{"Calls.InitiateGroupCalls.All"} }, "the real permission is Calls.InitiateGroupCall.All"},
		{"unknown permission", func(c *Config) { c.App.Roles = []string{"User.Read.All"} }, `"User.Read.All" is not a calling permission`},
		{"nothing to do", func(c *Config) { c.Triggers = nil }, "nothing makes the bot create a call"},
		{"both modes", func(c *Config) { c.Wait = time.Second }, "exclude each other"},
		{"negative calls", func(c *Config) { c.Calls = -1 }, "must not be negative"},
		{"unknown key", func(c *Config) { c.Triggers["voip"] = noop }, `unknown scenario "voip"`},
		{"nil trigger", func(c *Config) { c.Triggers[KeyGroup] = nil }, "Triggers[group] is nil"},
		{"relative callback", func(c *Config) { c.BotCallback = "/callback" }, "BotCallback"},
		{"status without id", func(c *Config) { c.BotStatus = "http://127.0.0.1:9000/calls" }, "must contain {id}"},
		{"status not http", func(c *Config) { c.BotStatus = "ftp://h/{id}" }, "BotStatus"},
		{"zero ack", func(c *Config) { c.Timeouts.Ack = 0 }, "Timeouts.Ack"},
	} {
		c := valid()
		tc.change(&c)
		err := c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}
