package emulator

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/identity"
	"github.com/callcheck/callcheck/internal/yamlfile"
)

// Defaults of the emulator. Each is documented in docs/emulator.md with its source.
const (
	// DefaultTenantID is the default app's tenant: fixed, so that a bot's
	// configuration survives restarts of `callcheck emulate`.
	DefaultTenantID = "aa67bd4c-8475-432d-bd41-39f255720e0a" // the doc's tenant (Example 1)
	// DefaultClientID is the default app's client (application) id.
	DefaultClientID = "2891555a-92ff-42e6-80fa-6e1300c6b5c6" // the doc's "Calling Bot" (Example 1)
	// DefaultAppName is the default app's display name (the doc's bot).
	DefaultAppName = "Calling Bot"
	// DefaultMaxBodyBytes bounds a request body (413 beyond).
	DefaultMaxBodyBytes = 256 << 10
	// DefaultMaxHeaderBytes bounds the request headers (431 beyond, by net/http).
	DefaultMaxHeaderBytes = 64 << 10
	// DefaultMaxNesting bounds the nesting depth of a JSON body (400 beyond).
	DefaultMaxNesting = 32
	// DefaultMaxTargets is the most targets a group call may have: "This
	// supports up to 5 VoIP users" (create-call-doc.txt Example 3).
	DefaultMaxTargets = 5
	// DefaultMaxRingingTimeout is the largest ringingTimeoutInSeconds (facts §1.2).
	DefaultMaxRingingTimeout = 115
	// DefaultKeepAliveTimeout ends a call that got no keepAlive for this long
	// (facts §3.10: "within 45 minutes", 408/8537).
	DefaultKeepAliveTimeout = 45 * time.Minute
	// DefaultMaxLiveCalls bounds the live calls (503 with Retry-After beyond).
	DefaultMaxLiveCalls = 200_000
)

// Config configures an Emulator. Build it with NewConfig and change what you
// need; LoadConfigFile reads the same fields from a YAML or JSON file.
type Config struct {
	// Apps are the registered applications (client id, secret, tenant,
	// roles). Empty: only the default app (DefaultApp).
	Apps []App `yaml:"apps" json:"apps"`
	// PublicURL is the base URL (scheme://host[:port]) clients use to reach the
	// emulator, used in Location headers and printed URLs. Empty: taken from
	// the listener (Start) or from the request's Host (Handler).
	PublicURL string `yaml:"publicURL" json:"publicURL"`
	// Profile names the profile: "fast" (milliseconds; the default, for
	// tests), "realistic" (seconds, like the real service) or "field"
	// (realistic timing, and notifications, ringing and error bodies shaped
	// like the field corpus, fixtures/field; FieldProfile). Timing holds its
	// delays; setting Profile through ApplyProfile replaces them.
	Profile string `yaml:"profile" json:"profile"`
	// Timing holds the delays of the notification sequences.
	Timing Timing `yaml:"timing" json:"timing"`
	// Notifications configures how notifications are shaped and delivered.
	Notifications NotificationConfig `yaml:"notifications" json:"notifications"`
	// Ringing configures how the callee of a peer-to-peer or PSTN call answers.
	Ringing Ringing `yaml:"ringing" json:"ringing"`
	// Limits bound what a request or the emulator may hold.
	Limits Limits `yaml:"limits" json:"limits"`
	// Safety restricts the callback URLs the emulator posts to.
	Safety Safety `yaml:"safety" json:"safety"`
	// Faults are the fault profiles (all off by default).
	Faults Faults `yaml:"faults" json:"faults"`
	// Violations are the deliberate contract violations to make (none by default).
	Violations []Violation `yaml:"violations" json:"violations"`
	// Seed seeds every random decision (faults, jitter), so runs reproduce.
	Seed uint64 `yaml:"seed" json:"seed"`
	// Behaviour holds the choices between contradicting sources.
	Behaviour Behaviour `yaml:"behaviour" json:"behaviour"`
	// Server holds the HTTP server's timeouts (Start only).
	Server ServerTimeouts `yaml:"server" json:"server"`
	// AdminToken, when set, is the bearer token the /_callcheck/ endpoints
	// require. Empty: they are open (the emulator listens on loopback by default).
	AdminToken string `yaml:"adminToken" json:"adminToken"`

	// Key signs access tokens; nil: a key is generated.
	Key *identity.Key `yaml:"-" json:"-"`
	// NotificationKey signs notification tokens; nil: a key is generated.
	NotificationKey *identity.Key `yaml:"-" json:"-"`
	// Now is the clock; nil: time.Now.
	Now func() time.Time `yaml:"-" json:"-"`
}

// App is a registered application (identity.App with YAML names).
type App struct {
	ClientID     string   `yaml:"clientId" json:"clientId"`
	ClientSecret string   `yaml:"clientSecret" json:"clientSecret"`
	TenantID     string   `yaml:"tenantId" json:"tenantId"`
	DisplayName  string   `yaml:"displayName" json:"displayName,omitempty"`
	Roles        []string `yaml:"roles" json:"roles"`
}

// String describes the app without its secret.
func (a App) String() string { return a.identity().String() }

func (a App) identity() identity.App {
	return identity.App{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TenantID: a.TenantID,
		DisplayName: a.DisplayName, Roles: a.Roles}
}

// Delay is a random delay drawn uniformly from [Min, Max] (seeded).
type Delay struct {
	Min time.Duration `yaml:"min" json:"min"`
	Max time.Duration `yaml:"max" json:"max"`
}

// Timing holds the delay before each notification of a sequence, counted
// from the moment the previous one was delivered (or, for the first, from
// the response).
type Timing struct {
	Establishing Delay `yaml:"establishing" json:"establishing"`
	Established  Delay `yaml:"established" json:"established"`
	Roster       Delay `yaml:"roster" json:"roster"`
	Terminating  Delay `yaml:"terminating" json:"terminating"`
	Terminated   Delay `yaml:"terminated" json:"terminated"`
}

// Profiles.
const (
	ProfileFast      = "fast"
	ProfileRealistic = "realistic"
	ProfileField     = "field"
)

// ProfileTiming returns the delays of a timing profile.
func ProfileTiming(profile string) (Timing, error) {
	ms := time.Millisecond
	switch profile {
	case ProfileFast, "":
		return Timing{
			Establishing: Delay{0, ms}, Established: Delay{0, 2 * ms}, Roster: Delay{0, ms},
			Terminating: Delay{0, ms}, Terminated: Delay{0, ms},
		}, nil
	case ProfileRealistic, ProfileField:
		return Timing{
			Establishing: Delay{150 * ms, 500 * ms}, Established: Delay{time.Second, 3 * time.Second},
			Roster: Delay{300 * ms, 900 * ms}, Terminating: Delay{50 * ms, 200 * ms}, Terminated: Delay{300 * ms, time.Second},
		}, nil
	}
	return Timing{}, fmt.Errorf("unknown profile %q (want %q, %q or %q)", profile, ProfileFast, ProfileRealistic, ProfileField)
}

// NotificationConfig shapes and delivers notifications.
type NotificationConfig struct {
	// Issuer is the iss of notification tokens (facts §6: https://api.botframework.com).
	Issuer string `yaml:"issuer" json:"issuer"`
	// MaxBatch is the most notifications one POST carries; notifications due
	// for the same callback at the same time share a commsNotifications
	// batch ("multiple notifications in a single batch", facts §2). 1 never batches.
	MaxBatch int `yaml:"maxBatch" json:"maxBatch"`
	// PerCallback is the most POSTs in flight to one callback URL. Fewer
	// POSTs in flight make larger batches: 2 sustained 12-20% more creates/s
	// than 4 in BenchmarkLoadVsBare with the same p99 (docs/emulator.md).
	PerCallback int `yaml:"perCallback" json:"perCallback"`
	// Concurrency is the most POSTs in flight in total.
	Concurrency int `yaml:"concurrency" json:"concurrency"`
	// MaxQueue bounds the notifications waiting for one callback; beyond
	// it a notification is dropped and recorded as such (a callback that
	// never answers cannot make the emulator hold memory without limit).
	MaxQueue int `yaml:"maxQueue" json:"maxQueue"`
	// Timeout bounds one POST (facts §8: a bot must answer within ~5 s).
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// Attempts is how often a delivery is tried before it is given up (≥ 1).
	Attempts int `yaml:"attempts" json:"attempts"`
	// Backoff is the wait before the second attempt; it doubles per attempt.
	Backoff time.Duration `yaml:"backoff" json:"backoff"`
	// RetryStatuses are the HTTP statuses that are retried (besides
	// transport errors); others are final.
	RetryStatuses []int `yaml:"retryStatuses" json:"retryStatuses"`
	// LegacyResource adds the legacy "resource": "/app/calls/{id}" that real
	// traffic still carries (facts §2); off: as the doc's examples.
	LegacyResource bool `yaml:"legacyResource" json:"legacyResource"`
	// OmitCallbackURI leaves out the callbackUri the doc's notifications
	// carry on each notification (an undeclared extra, facts §9.8).
	OmitCallbackURI bool `yaml:"omitCallbackUri" json:"omitCallbackUri"`
	// OmitResourceURL leaves out resourceUrl, so that only the legacy
	// resource names the call, as 2019-2020 traffic did (fixtures/field
	// comms-samples-95-establishing, comms-samples-191-incoming). It needs
	// LegacyResource.
	OmitResourceURL bool `yaml:"omitResourceUrl" json:"omitResourceUrl"`
	// PascalCase writes changeType and the call's state in PascalCase
	// ("Updated", "Terminated"), as some real traffic does (fixtures/field
	// msteams-docs-9170-updated, msteams-docs-9159-terminated).
	PascalCase bool `yaml:"pascalCase" json:"pascalCase"`
	// OmitResourceDataID leaves the call's id out of resourceData, as the
	// field's terminated and establishing notifications show no id among
	// their fields (fixtures/field comms-samples-667-terminated,
	// comms-samples-721-establishing); the id is then only in resourceUrl.
	OmitResourceDataID bool `yaml:"omitResourceDataId" json:"omitResourceDataId"`
	// Resolver resolves callback host names (nil: the system's); tests
	// set one that answers with addresses of their choosing. Every address
	// dialled is checked against Safety.DialAllowed.
	Resolver *net.Resolver `yaml:"-" json:"-"`
}

// Answer modes of Ringing.Answer.
const (
	// AnswerAuto: the callee answers after Ringing.AnswerAfter.
	AnswerAuto = "auto"
	// AnswerNever: the callee never answers; the call ends unanswered after
	// Ringing.NoAnswerTimeout.
	AnswerNever = "never"
	// AnswerManual: the callee answers when told (Emulator.Answer, POST
	// /_callcheck/calls/{id}/answer), or the call ends unanswered after
	// Ringing.NoAnswerTimeout.
	AnswerManual = "manual"
)

// DefaultNoAnswerTimeout ends an unanswered call: "no more activity for about
// a minute. After that, I receive the Terminated state notification"
// (fixtures/field comms-samples-17-no-answer; also comms-samples-750-stuck).
const DefaultNoAnswerTimeout = time.Minute

// Ringing configures the callee of a peer-to-peer or PSTN call: in the
// field such a call stays establishing until the callee answers, and ends
// after about a minute unanswered (fixtures/field comms-samples-17-no-answer).
// While it rings no notification is sent: the page shows no ringing
// notification and the v1.0 metadata has no ringing state (facts §3.2, §1.3),
// and the field saw only establishing before the end (comms-samples-252-states).
type Ringing struct {
	// Answer is the answer mode of calls created from now on: "auto" (the
	// default), "never" or "manual". Emulator.SetAnswerMode changes it at
	// run time.
	Answer string `yaml:"answer" json:"answer"`
	// AnswerAfter is how long the callee rings before answering in auto
	// mode: 0 by default (answered at once, established follows
	// establishing as the page shows).
	AnswerAfter Delay `yaml:"answerAfter" json:"answerAfter"`
	// NoAnswerTimeout ends a call still ringing after this long with the
	// no-answer resultInfo (408/10057, facts §3.9).
	NoAnswerTimeout time.Duration `yaml:"noAnswerTimeout" json:"noAnswerTimeout"`
}

// FieldProfile applies the field profile's shapes to c (besides its timing,
// which is the realistic one): notifications as the field corpus shows them
// (fixtures/field; docs/emulator.md has the table with each choice's entry)
// and a callee that rings before answering.
func FieldProfile(c *Config) {
	n := &c.Notifications
	// Both resource and resourceUrl: comms-samples-667-terminated,
	// comms-samples-721-establishing, msteams-docs-9170-updated (2023-2024).
	n.LegacyResource = true
	// PascalCase changeType and state: msteams-docs-9170-updated ("Updated"),
	// msteams-docs-9159-terminated ("Terminated"), comms-samples-632-establishing
	// ("Updated" and "Establishing" in a meeting join's notification).
	n.PascalCase = true
	// No id in resourceData: comms-samples-667-terminated, comms-samples-721-establishing.
	n.OmitResourceDataID = true
	// No callbackUri on the notification: none of the field notifications
	// carries one beside resourceUrl (comms-samples-667-terminated has it
	// inside resourceData only).
	n.OmitCallbackURI = true
	// One notification per POST: every field POST holds a batch of one
	// (comms-samples-95-establishing, -667-, -721-, msteams-docs-9170-updated).
	n.MaxBatch = 1
	// The callee rings before answering (comms-samples-17-no-answer: the call
	// stays establishing until answered). How long a person lets it ring is
	// not in the field reports: 1-3 s is a judgement (INFERENCE).
	c.Ringing.Answer = AnswerAuto
	c.Ringing.AnswerAfter = Delay{Min: time.Second, Max: 3 * time.Second}
	c.Ringing.NoAnswerTimeout = DefaultNoAnswerTimeout
}

// Behaviour holds the choices where the sources contradict each other
// (docs/emulator.md has the table).
type Behaviour struct {
	// ResultInfoAsStrings sends resultInfo code and subcode as strings, as
	// the doc's notifications do; default numbers, as the metadata (Int32)
	// and real traffic (facts §9.4).
	ResultInfoAsStrings bool `yaml:"resultInfoAsStrings" json:"resultInfoAsStrings"`
	// DeleteSubcode is the resultInfo subcode of the terminated notification
	// after a DELETE: 5001 "The conversation has ended." (the DELETE page's
	// example, default) or 7000 "The conversation has ended by bot." (its
	// table) (facts §9.5).
	DeleteSubcode int `yaml:"deleteSubcode" json:"deleteSubcode"`
	// ContextEntitySet is the entity set @odata.context names: "app/calls"
	// as every documented response shows (facts §9.17, default) or
	// "communications/calls".
	ContextEntitySet string `yaml:"contextEntitySet" json:"contextEntitySet"`
	// AutoAdmitAfter admits a guest from the lobby by itself after this long;
	// 0 (default): only the admin control admits (Example 8).
	AutoAdmitAfter time.Duration `yaml:"autoAdmitAfter" json:"autoAdmitAfter"`
	// LobbyTimeout ends a call still in the lobby after this long with
	// 200/5855 (facts §3.5); 0 (default): never.
	LobbyTimeout time.Duration `yaml:"lobbyTimeout" json:"lobbyTimeout"`
}

// Limits bound requests and memory.
type Limits struct {
	MaxBodyBytes      int64         `yaml:"maxBodyBytes" json:"maxBodyBytes"`
	MaxHeaderBytes    int           `yaml:"maxHeaderBytes" json:"maxHeaderBytes"`
	MaxNesting        int           `yaml:"maxNesting" json:"maxNesting"`
	MaxTargets        int           `yaml:"maxTargets" json:"maxTargets"`
	MaxRingingTimeout int           `yaml:"maxRingingTimeout" json:"maxRingingTimeout"`
	KeepAliveTimeout  time.Duration `yaml:"keepAliveTimeout" json:"keepAliveTimeout"`
	MaxLiveCalls      int           `yaml:"maxLiveCalls" json:"maxLiveCalls"`
	// EndedCalls is how many ended calls stay visible to inspection.
	EndedCalls int `yaml:"endedCalls" json:"endedCalls"`
	// RequestRecords is how many requests are recorded (a ring buffer).
	RequestRecords int `yaml:"requestRecords" json:"requestRecords"`
	// RecordBodyBytes is how much of each request body a record keeps.
	RecordBodyBytes int `yaml:"recordBodyBytes" json:"recordBodyBytes"`
	// DeliveryRecords is how many deliveries are recorded (a ring buffer).
	DeliveryRecords int `yaml:"deliveryRecords" json:"deliveryRecords"`
}

// DefaultMaxQueue is NotificationConfig.MaxQueue's default: 16384
// notifications (a few MiB) per callback.
const DefaultMaxQueue = 1 << 14

// Safety restricts where the emulator posts notifications.
type Safety struct {
	// AllowedCallbackHosts are the callback hosts allowed besides loopback
	// ones: exact host names or "*.example.com" patterns.
	AllowedCallbackHosts []string `yaml:"allowedCallbackHosts" json:"allowedCallbackHosts"`
	// AllowAnyCallbackHost allows every callback host (dangerous: the
	// emulator then posts wherever a caller says).
	AllowAnyCallbackHost bool `yaml:"allowAnyCallbackHost" json:"allowAnyCallbackHost"`
	// AllowHTTPLoopback allows plain-http callbacks on loopback hosts
	// (127.0.0.0/8, ::1, localhost); https is required otherwise (facts §1.1).
	AllowHTTPLoopback bool `yaml:"allowHTTPLoopback" json:"allowHTTPLoopback"`
}

// ServerTimeouts are the HTTP server's timeouts against slow clients.
type ServerTimeouts struct {
	ReadHeader time.Duration `yaml:"readHeader" json:"readHeader"`
	Read       time.Duration `yaml:"read" json:"read"`
	Write      time.Duration `yaml:"write" json:"write"`
	Idle       time.Duration `yaml:"idle" json:"idle"`
}

// NewConfig returns the defaults: the default app only, the fast timing
// profile, no faults, no violations, loopback callbacks over https only.
func NewConfig() Config {
	timing, _ := ProfileTiming(ProfileFast)
	return Config{
		Profile: ProfileFast,
		Timing:  timing,
		Notifications: NotificationConfig{
			Issuer: identity.DefaultNotificationIssuer, MaxBatch: 32, PerCallback: 2, Concurrency: 256,
			MaxQueue: DefaultMaxQueue, Timeout: 5 * time.Second, Attempts: 3, Backoff: 100 * time.Millisecond,
			RetryStatuses: []int{408, 429, 500, 502, 503, 504},
		},
		Behaviour: Behaviour{DeleteSubcode: 5001, ContextEntitySet: "app/calls"},
		Ringing:   Ringing{Answer: AnswerAuto, NoAnswerTimeout: DefaultNoAnswerTimeout},
		Limits: Limits{
			MaxBodyBytes: DefaultMaxBodyBytes, MaxHeaderBytes: DefaultMaxHeaderBytes, MaxNesting: DefaultMaxNesting,
			MaxTargets: DefaultMaxTargets, MaxRingingTimeout: DefaultMaxRingingTimeout,
			KeepAliveTimeout: DefaultKeepAliveTimeout, MaxLiveCalls: DefaultMaxLiveCalls,
			EndedCalls: 1024, RequestRecords: 2048, RecordBodyBytes: 8 << 10, DeliveryRecords: 4096,
		},
		Server: ServerTimeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second, Idle: 2 * time.Minute},
		Seed:   1,
	}
}

// DefaultApp returns the default app: the doc's bot in the doc's tenant,
// holding every calling role, with secret as its client secret.
func DefaultApp(secret string) App {
	return App{ClientID: DefaultClientID, ClientSecret: secret, TenantID: DefaultTenantID,
		DisplayName: DefaultAppName, Roles: graph.CallingRoles()}
}

// ApplyProfile sets Profile and replaces Timing with the profile's delays;
// the field profile also applies FieldProfile.
func (c *Config) ApplyProfile(profile string) error {
	t, err := ProfileTiming(profile)
	if err != nil {
		return err
	}
	c.Profile, c.Timing = profile, t
	if profile == ProfileField {
		FieldProfile(c)
	}
	return nil
}

// Validate reports the first invalid setting, naming it.
func (c *Config) Validate() error {
	checks := []func() error{c.validateApps, c.validateTiming, c.validateNotifications, c.validateLimits,
		c.Faults.validate, c.validateViolations, c.validateBehaviour, c.Ringing.validate}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) validateApps() error {
	seen := map[string]bool{}
	for i, a := range c.Apps {
		if err := a.identity().Validate(); err != nil {
			return fmt.Errorf("apps[%d]: %w", i, err)
		}
		if !graph.IsGUID(a.TenantID) {
			return fmt.Errorf("apps[%d].tenantId %q is not a GUID", i, a.TenantID)
		}
		id := strings.ToLower(a.ClientID)
		if seen[id] {
			return fmt.Errorf("apps[%d].clientId %q is registered twice", i, a.ClientID)
		}
		seen[id] = true
	}
	return nil
}

func (c *Config) validateTiming() error {
	for name, d := range map[string]Delay{"establishing": c.Timing.Establishing, "established": c.Timing.Established,
		"roster": c.Timing.Roster, "terminating": c.Timing.Terminating, "terminated": c.Timing.Terminated} {
		if d.Min < 0 || d.Max < d.Min {
			return fmt.Errorf("timing.%s: want 0 <= min <= max, got min %v max %v", name, d.Min, d.Max)
		}
	}
	return nil
}

func (c *Config) validateNotifications() error {
	n := c.Notifications
	switch {
	case n.MaxBatch < 1:
		return fmt.Errorf("notifications.maxBatch must be at least 1, got %d", n.MaxBatch)
	case n.PerCallback < 1:
		return fmt.Errorf("notifications.perCallback must be at least 1, got %d", n.PerCallback)
	case n.Concurrency < 1:
		return fmt.Errorf("notifications.concurrency must be at least 1, got %d", n.Concurrency)
	case n.MaxQueue < 1:
		return fmt.Errorf("notifications.maxQueue must be at least 1, got %d", n.MaxQueue)
	case n.Timeout <= 0:
		return fmt.Errorf("notifications.timeout must be positive, got %v", n.Timeout)
	case n.Attempts < 1:
		return fmt.Errorf("notifications.attempts must be at least 1, got %d", n.Attempts)
	case n.Backoff < 0:
		return fmt.Errorf("notifications.backoff must not be negative, got %v", n.Backoff)
	case n.Issuer == "":
		return errors.New("notifications.issuer is empty")
	case n.OmitResourceURL && !n.LegacyResource:
		return errors.New("notifications.omitResourceUrl needs notifications.legacyResource (a notification must name its call)")
	}
	return nil
}

func (r Ringing) validate() error {
	switch r.Answer {
	case AnswerAuto, AnswerNever, AnswerManual:
	default:
		return fmt.Errorf("ringing.answer must be %q, %q or %q, got %q", AnswerAuto, AnswerNever, AnswerManual, r.Answer)
	}
	if r.AnswerAfter.Min < 0 || r.AnswerAfter.Max < r.AnswerAfter.Min {
		return fmt.Errorf("ringing.answerAfter: want 0 <= min <= max, got min %v max %v", r.AnswerAfter.Min, r.AnswerAfter.Max)
	}
	if r.NoAnswerTimeout <= 0 {
		return fmt.Errorf("ringing.noAnswerTimeout must be positive, got %v", r.NoAnswerTimeout)
	}
	return nil
}

func (c *Config) validateLimits() error {
	l := c.Limits
	for name, v := range map[string]int64{"maxBodyBytes": l.MaxBodyBytes, "maxHeaderBytes": int64(l.MaxHeaderBytes),
		"maxNesting": int64(l.MaxNesting), "maxTargets": int64(l.MaxTargets), "maxRingingTimeout": int64(l.MaxRingingTimeout),
		"maxLiveCalls": int64(l.MaxLiveCalls), "endedCalls": int64(l.EndedCalls), "requestRecords": int64(l.RequestRecords),
		"recordBodyBytes": int64(l.RecordBodyBytes), "deliveryRecords": int64(l.DeliveryRecords)} {
		if v < 1 {
			return fmt.Errorf("limits.%s must be at least 1, got %d", name, v)
		}
	}
	if l.KeepAliveTimeout <= 0 {
		return fmt.Errorf("limits.keepAliveTimeout must be positive, got %v", l.KeepAliveTimeout)
	}
	return nil
}

func (c *Config) validateViolations() error {
	for _, v := range c.Violations {
		if !v.Known() {
			return fmt.Errorf("violations: unknown violation %q (see --list-violations)", v)
		}
	}
	return nil
}

func (c *Config) validateBehaviour() error {
	switch c.Behaviour.DeleteSubcode {
	case 5001, 7000, 10550:
	default:
		return fmt.Errorf("behaviour.deleteSubcode must be 5001, 7000 or 10550 (the documented ones), got %d", c.Behaviour.DeleteSubcode)
	}
	switch c.Behaviour.ContextEntitySet {
	case "app/calls", "communications/calls":
	default:
		return fmt.Errorf("behaviour.contextEntitySet must be \"app/calls\" or \"communications/calls\", got %q", c.Behaviour.ContextEntitySet)
	}
	if c.Behaviour.AutoAdmitAfter < 0 || c.Behaviour.LobbyTimeout < 0 {
		return errors.New("behaviour.autoAdmitAfter and behaviour.lobbyTimeout must not be negative")
	}
	return nil
}

// LoadConfigFile reads a configuration file (YAML, of which JSON is a
// subset) over c: the fields the file sets replace c's, the others stay.
// Unknown fields are an error naming them; durations are Go durations
// ("150ms", "45m"). A "profile" in the file replaces the timing with the
// profile's before the file's own "timing" is applied.
func (c *Config) LoadConfigFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	return c.LoadConfig(data, path)
}

// LoadConfig is LoadConfigFile for data already read; name labels errors.
func (c *Config) LoadConfig(data []byte, name string) error {
	var probe struct {
		Profile string `yaml:"profile"`
	}
	_ = yaml.Unmarshal(data, &probe)
	if probe.Profile != "" {
		if err := c.ApplyProfile(probe.Profile); err != nil {
			return fmt.Errorf("config file %s: %w", name, err)
		}
	}
	if err := yamlfile.Decode(data, c); err != nil {
		return fmt.Errorf("config file %s: %w", name, err)
	}
	return nil
}

// Clone returns a copy of c that shares no slice with it, so that changes
// to either do not reach the other.
func (c Config) Clone() Config { return c.clone() }
