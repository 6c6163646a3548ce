package load

// The kinds of run a manifest describes.
const (
	KindCreate       = "create"        // callcheck load create
	KindCallbacks    = "callbacks"     // callcheck load callbacks
	KindCapacityStep = "capacity-step" // one step of callcheck load capacity
)
