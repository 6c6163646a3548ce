package emulator

import (
	"github.com/callcheck/callcheck/graph"
)

// createRoles are the permissions one of which any create needs (the
// kinds' permissions, graph-calls-facts.md §5.1); a token holding none is
// refused before its body is read.
var createRoles = []string{graph.RoleInitiate, graph.RoleInitiateGroupCall, graph.RoleJoinGroupCall, graph.RoleJoinGroupCallAsGuest}
