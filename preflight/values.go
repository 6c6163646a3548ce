package preflight

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/callcheck/callcheck/fixtures"
	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/graph/rules"
)

// threadIDRE is a Teams chat thread id: "19:…@thread.v2" for a scheduled
// meeting (create-call-doc.txt line 479), "19:…@thread.skype" for a channel
// meeting (line 808; graph-calls-facts.md §3.4); "@thread.tacv2" is a
// Teams channel's newer form (INFERENCE: not on the page, seen in Teams ids).
var threadIDRE = regexp.MustCompile(`^19:[^\s@]+@thread\.(v2|skype|tacv2)$`)

// markerRE finds what values.example.yaml-style templates leave to fill:
// REPLACE… words and <…> markers.
var markerRE = regexp.MustCompile(`(?i)replace|<[^>]*>`)

// idKind is the form an id must have.
type idKind int

const (
	anyID idKind = iota
	guidID
	e164ID
	threadID
)

// field is one value the run sends, where the values file sets it.
type field struct {
	path, value, documented string
	kind                    idKind
	need                    string // what needs it, for the message
}

// checkValues says whether the values hold every id the run's scenarios
// need, well formed, with no placeholder left: a REPLACE or <…> marker, or,
// for a target that is not on this machine, one of the page's own example
// ids, which "must be replaced with actual values to make the example work"
// (create-call-doc.txt lines 53, 450) and which only an emulator knows.
func (r *run) checkValues() Result {
	v := r.cfg.Values
	file := v.File
	if file == "" {
		if r.local {
			return pass(CheckValues, "no --values file: the page's own ids, which an emulator on this machine accepts")
		}
		return fail(CheckValues, "copy docs/values.example.yaml, put your tenant's ids in it and give it with --values",
			"no --values file: the run would send the page's example ids (tenant %s, create-call-doc.txt line 53), which only an emulator knows",
			fixtures.DocumentedValues().TenantID)
	}
	var problems []string
	fields := r.neededFields()
	for _, f := range fields {
		if p := r.judgeField(f); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		n := len(problems)
		if n > 3 {
			problems = append(problems[:3], fmt.Sprintf("and %d more", n-3))
		}
		return fail(CheckValues, "put the real ids of your tenant in "+file+" (docs/values.example.yaml names each, docs/conformance.md says where to find them)",
			"%s: %s", file, strings.Join(problems, "; "))
	}
	return pass(CheckValues, "%s has the %d ids the claimed scenarios need, well formed, no placeholder", file, len(fields))
}

// judgeField returns what is wrong with f, or "".
func (r *run) judgeField(f field) string {
	switch {
	case strings.TrimSpace(f.value) == "":
		return fmt.Sprintf("%s is empty (%s needs it)", f.path, f.need)
	case markerRE.MatchString(f.value):
		return fmt.Sprintf("%s %q is a placeholder left to fill", f.path, f.value)
	case !r.local && f.documented != "" && f.value == f.documented:
		return fmt.Sprintf("%s %q is the page's example value, a placeholder (%s needs a real one)", f.path, short(f.value), f.need)
	case f.kind == guidID && !graph.IsGUID(f.value):
		return fmt.Sprintf("%s %q is not a GUID", f.path, f.value)
	case f.kind == e164ID && !rules.IsE164(f.value):
		return fmt.Sprintf("%s %q is not an E.164 phone number (+ and 7 to 15 digits)", f.path, f.value)
	case f.kind == threadID && !threadIDRE.MatchString(f.value):
		return fmt.Sprintf("%s %q is not a Teams thread id (19:…@thread.v2 or 19:…@thread.skype)", f.path, f.value)
	}
	return ""
}

func short(s string) string {
	if len(s) > 48 {
		return s[:45] + "..."
	}
	return s
}

// neededFields lists the values the run's scenarios send, once each, in
// the values file's order.
func (r *run) neededFields() []field {
	v, d := r.cfg.Values.Run, fixtures.DocumentedValues()
	kinds, media := map[graph.Kind]string{}, map[graph.MediaKind]string{}
	for _, s := range r.cfg.Scenarios {
		if _, ok := kinds[s.Kind]; !ok {
			kinds[s.Kind] = "scenario " + scenarioName(s)
		}
		if _, ok := media[s.Media]; !ok {
			media[s.Media] = "scenario " + scenarioName(s)
		}
	}
	var out []field
	add := func(need string, fs ...field) {
		if need == "" {
			return
		}
		for _, f := range fs {
			f.need = need
			out = append(out, f)
		}
	}
	first := ""
	for _, k := range graph.Kinds() {
		if n, ok := kinds[k]; ok && first == "" {
			first = n
		}
	}
	add(first, field{path: "tenantId", value: v.TenantID, documented: d.TenantID, kind: guidID},
		field{path: "application.id", value: v.Application.ID, documented: d.Application.ID, kind: guidID})
	add(kinds[graph.KindPeerToPeer], user(v, d, 0))
	add(kinds[graph.KindGroupCall], user(v, d, 0), user(v, d, 1))
	add(kinds[graph.KindMeetingJoin], meeting("meeting", v.Meeting, d.Meeting)...)
	channel := kinds[graph.KindChannelMeeting]
	if channel == "" {
		channel = kinds[graph.KindGuestJoin]
	}
	add(channel, meeting("channelMeeting", v.ChannelMeeting, d.ChannelMeeting)...)
	add(kinds[graph.KindGuestJoin], field{path: "guest.id", value: v.Guest.ID, documented: d.Guest.ID})
	add(kinds[graph.KindPSTN], field{path: "applicationInstance.id", value: v.ApplicationInstance.ID, documented: d.ApplicationInstance.ID, kind: guidID},
		field{path: "phone", value: v.Phone, documented: d.Phone, kind: e164ID})
	add(media[graph.MediaAppHosted], field{path: "mediaSessionBlob", value: v.MediaSessionBlob, documented: d.MediaSessionBlob})
	if !r.local && r.claims(graph.FeatureLobbyAdmission) {
		add("feature "+string(graph.FeatureLobbyAdmission), field{path: "lobby.admitURL", value: r.cfg.Values.AdmitURL})
	}
	return dedupe(out)
}

func (r *run) claims(f graph.Feature) bool {
	for _, c := range r.cfg.Features {
		if c == f {
			return true
		}
	}
	return false
}

func user(v, d fixtures.RunValues, i int) field {
	f := field{path: fmt.Sprintf("users[%d].id", i), kind: guidID}
	if i < len(v.Users) {
		f.value = v.Users[i].ID
	}
	if i < len(d.Users) {
		f.documented = d.Users[i].ID
	}
	return f
}

func meeting(path string, m, d fixtures.Meeting) []field {
	out := []field{{path: path + ".threadId", value: m.ThreadID, documented: d.ThreadID, kind: threadID},
		{path: path + ".messageId", value: m.MessageID},
		{path: path + ".organizer.id", value: m.Organizer.ID, documented: d.Organizer.ID, kind: guidID}}
	if m.Organizer.TenantID != "" {
		out = append(out, field{path: path + ".organizer.tenantId", value: m.Organizer.TenantID, documented: d.Organizer.TenantID, kind: guidID})
	}
	return out
}

func dedupe(fs []field) []field {
	seen := map[string]bool{}
	var out []field
	for _, f := range fs {
		if !seen[f.path] {
			seen[f.path] = true
			out = append(out, f)
		}
	}
	return out
}
