package schema

// WithoutFastPath makes a Validator send every object to kin-openapi: the
// tests hold the fast path to kin-openapi's answers with it.
func WithoutFastPath() Option { return func(o *options) { o.noFastPath = true } }
