package suites

import (
	"fmt"
	"github.com/callcheck/callcheck/report"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/callcheck/callcheck/graph"
	"github.com/callcheck/callcheck/notify"
)

// participantsSub is what follows the call id in a roster's resourceUrl.
const participantsSub = "participants"

// awaitRoster waits for a roster and judges it: in the lobby (Example 8,
// before admission) the bot alone with isInLobby true; otherwise a roster
// in which the bot takes part, not in the lobby.
func (r *exampleRun) awaitRoster(inLobby bool) {
	ginkgo.GinkgoHelper()
	match := func(e notify.Event) bool { return e.IsRoster() }
	src := srcMeetingRoster
	if inLobby {
		src = srcLobbyRoster
	} else if r.ex.Expect.Lobby {
		match = func(e notify.Event) bool { return e.IsRoster() && r.botAdmitted(e) }
		src = srcNoRosterInLobby
	}
	e, err := r.awaitEvent(match)
	if err != nil {
		r.failWait(err, src, "roster")
	}
	var f findings
	r.judgeRoster(&f, e, inLobby)
	r.failIf(&f)
}

// botAdmitted reports whether a roster shows the bot out of the lobby.
func (r *exampleRun) botAdmitted(e notify.Event) bool {
	ps, err := e.Notification.Participants()
	if err != nil {
		return false
	}
	for _, p := range ps {
		if strings.EqualFold(p.ID, r.partID) && p.IsInLobby != nil && !*p.IsInLobby {
			return true
		}
	}
	return false
}

// isLobbyRoster reports whether a roster is the lobby's: the bot alone,
// waiting in the lobby.
func (r *exampleRun) isLobbyRoster(e notify.Event) bool {
	ps, err := e.Notification.Participants()
	return err == nil && len(ps) == 1 && strings.EqualFold(ps[0].ID, r.partID) && ps[0].InLobby()
}

// judgeRoster checks a roster notification's shape (§2: an array of
// #microsoft.graph.participant with id, info, mediaStreams, isMuted,
// isInLobby) and the bot's entry in it.
func (r *exampleRun) judgeRoster(f *findings, e notify.Event, inLobby bool) {
	r.judgeCommon(f, e, participantsSub)
	n := e.Notification
	if !strings.EqualFold(string(n.ChangeType), string(graph.ChangeUpdated)) {
		f.addf(srcRosterResource, string(graph.ChangeUpdated), string(n.ChangeType), "the roster's changeType is not updated")
	}
	if !n.ResourceDataIsArray() {
		f.addf(srcRosterResource, "an array of participants", "not an array", "the roster's resourceData is not a collection")
	}
	ps, err := n.Participants()
	if err != nil {
		f.addf(srcRosterResource, "participants", "unreadable: "+err.Error(), "the roster's resourceData cannot be read as participants")
		return
	}
	for i, p := range ps {
		judgeParticipant(f, i, p)
	}
	r.judgeBot(f, ps, inLobby)
}

// judgeParticipant checks one roster entry against the documented shape.
func judgeParticipant(f *findings, i int, p graph.Participant) {
	at := fmt.Sprintf("participant %d (%s)", i, orNone(p.ID))
	var lacks []string
	if !graph.SameType(p.ODataType, graph.TypeParticipant) {
		lacks = append(lacks, "@odata.type "+graph.TypeParticipant)
	}
	if p.ID == "" {
		lacks = append(lacks, "id")
	}
	if p.Info == nil || p.Info.Identity == nil || len(p.Info.Identity.Members()) == 0 {
		lacks = append(lacks, "info.identity")
	}
	if p.IsInLobby == nil {
		lacks = append(lacks, "isInLobby")
	}
	if p.IsMuted == nil {
		lacks = append(lacks, "isMuted")
	}
	for j, m := range p.MediaStreams {
		if m.MediaType == "" || m.SourceID == "" || m.Direction == "" || m.ServerMuted == nil {
			lacks = append(lacks, fmt.Sprintf("mediaStreams/%d mediaType, sourceId, direction and serverMuted", j))
		}
	}
	if len(lacks) > 0 {
		f.addf(srcRosterResource, "id, info.identity, mediaStreams, isMuted, isInLobby", "missing "+strings.Join(lacks, "; "),
			"the roster's %s is not shaped as documented", at)
	}
}

// judgeBot checks the bot's own entry: its participant id is the call's
// myParticipantId, its identity the one it called as; in the lobby it is
// alone and isInLobby (§3.5), otherwise it is not in the lobby.
func (r *exampleRun) judgeBot(f *findings, ps []graph.Participant, inLobby bool) {
	var bot *graph.Participant
	for i := range ps {
		if strings.EqualFold(ps[i].ID, r.partID) {
			bot = &ps[i]
		}
	}
	src := srcRosterResource
	if inLobby {
		src = srcLobbyRoster
	}
	if bot == nil {
		f.addf(src, "the bot, with id "+r.partID+" (myParticipantId)", fmt.Sprintf("%d participants, none with that id", len(ps)),
			"the roster does not list the bot's own participant")
		return
	}
	member, id := r.sentIdentity()
	if got := identityID(bot, member); !strings.EqualFold(got, id) {
		f.addf(src, member+" "+id, orNone(got), "the bot's roster entry is not the identity it called as")
	}
	switch {
	case inLobby && (len(ps) != 1 || !bot.InLobby()):
		f.addf(srcLobbyRoster, "the bot alone, isInLobby true", fmt.Sprintf("%d participants, bot isInLobby %v", len(ps), bot.InLobby()),
			"the lobby roster is not the bot alone waiting in the lobby")
	case !inLobby && bot.InLobby():
		f.addf(srcRosterResource, "isInLobby false", "isInLobby true", "the bot is still in the lobby in the roster")
	}
}

func identityID(p *graph.Participant, member string) string {
	if p.Info == nil || p.Info.Identity == nil {
		return ""
	}
	if id := p.Info.Identity.Members()[member]; id != nil {
		return id.ID
	}
	return ""
}

// holdNoRoster checks that no roster comes for a call whose example
// expects state notifications only (peer-to-peer and PSTN).
func (r *exampleRun) holdNoRoster() {
	ginkgo.GinkgoHelper()
	err := r.hold(r.t.NoRoster, func() error {
		for _, e := range r.watch.Events() {
			if e.IsRoster() {
				return fmt.Errorf("a roster notification came")
			}
		}
		return nil
	})
	if err != nil {
		r.fail(evidence(srcP2PStatesOnly, fmt.Sprintf("a roster notification came for call %s, which expects call state changes only", r.id),
			fmt.Sprintf("no roster within %s of established", r.t.NoRoster), r.seen()))
	}
}

// holdLobby checks that, while the guest waits, no roster other than the
// lobby's comes (Example 8).
func (r *exampleRun) holdLobby() {
	ginkgo.GinkgoHelper()
	err := r.hold(r.t.NoRoster, func() error {
		for _, e := range r.watch.Events() {
			if e.IsRoster() && !r.isLobbyRoster(e) {
				return fmt.Errorf("a roster beyond the lobby came before admission")
			}
		}
		return nil
	})
	if err != nil {
		r.fail(evidence(srcNoRosterInLobby, "the meeting's roster came before the guest was admitted from the lobby",
			fmt.Sprintf("only the lobby roster for %s", r.t.NoRoster), r.seen()))
	}
}

// verifyAll judges every notification the call got, now that it is over:
// none refused, each well-formed, and no roster where none is expected.
func (r *exampleRun) verifyAll() {
	ginkgo.GinkgoHelper()
	if len(r.rejections()) > 0 {
		r.fail(r.rejectionEvidence()...)
	}
	var f findings
	admitted := r.ex.Expect.Lobby && r.rec.steps[r.rec.stepIndex(stepAdmission)].Verdict == report.Passed
	for _, e := range r.watch.Events() {
		switch {
		case e.IsRoster() && !r.expectsRoster():
			f.addf(srcP2PStatesOnly, "no roster", "a roster", "a roster notification came for call %s during its life", r.id)
		case e.IsRoster() && r.ex.Expect.Lobby && !admitted && !r.isLobbyRoster(e):
			f.addf(srcNoRosterInLobby, "only the lobby roster", "another roster", "a roster beyond the lobby came though the guest was never admitted")
		case e.IsRoster():
			r.judgeRoster(&f, e, r.isLobbyRoster(e))
		case e.IsCall():
			r.judgeCallEvent(&f, e, e.State())
		default:
			r.judgeCommon(&f, e, e.Resource.Sub)
		}
	}
	if n := r.watch.Dropped(); n > 0 {
		f.addf(srcEnvelope, "every notification kept", fmt.Sprintf("%d dropped", n), "the watch dropped notifications of the call (raise notify's watch limit)")
	}
	if n := r.env.arrivals.duplicates([]string{r.id}); n > 0 {
		r.rec.duplicates = n
		ev := evidence(srcDuplicates, fmt.Sprintf("%d notification(s) of call %s came more than once (counted; a failure only under --strict)", n, r.id),
			"each notification once", fmt.Sprintf("%d duplicated", n))
		if r.env.strictFlag {
			f.add(ev)
		} else {
			defer r.warn(ev)
		}
	}
	r.failIf(&f)
}
