package derive

import (
	"fmt"
	"slices"
)

const (
	identitySetName      = "microsoft.graph.identitySet"
	commsIdentitySetName = "microsoft.graph.communicationsIdentitySet"
	innerErrorName       = "microsoft.graph.ODataErrors.InnerError"
	changeTypeName       = "microsoft.graph.changeType"
)

// applyFixes applies the fixes that span types, once the closure is complete. The per-type fixes
// (open-objects, flatten-allOf, nullable-refs, csdl-*, abstract-open, flags-enums) are applied while
// converting each type.
func (b *builder) applyFixes() error {
	for _, step := range []func() error{b.fixCommsIdentity, b.fixReadOnly, b.fixInnerError, b.fixChangeType} {
		if err := step(); err != nil {
			return err
		}
	}
	b.markNullableRefs()
	return nil
}

// fixCommsIdentity declares the communicationsIdentitySet members on identitySet (fixCommsIdentity's why).
func (b *builder) fixCommsIdentity() error {
	set, comms := b.types[identitySetName], b.types[commsIdentitySetName]
	if set == nil || comms == nil {
		return fmt.Errorf("%s: %s or %s missing from the subset", b.version, identitySetName, commsIdentitySetName)
	}
	for name, p := range comms.Props {
		if _, ok := set.Props[name]; ok {
			continue
		}
		cp := *p
		cp.DeclaredIn = commsIdentitySetName
		set.Props[name] = &cp
	}
	set.fix(fixCommsIdentity)
	return nil
}

// fixReadOnly marks the read-only properties of readOnlyProps.
func (b *builder) fixReadOnly() error {
	for typeName, props := range readOnlyProps {
		t := b.types[typeName]
		if t == nil {
			return fmt.Errorf("%s: read-only table names %s, not in the subset", b.version, typeName)
		}
		for pname, src := range props {
			if p, ok := t.Props[pname]; ok { // beta-only properties are absent from v1.0
				p.ReadOnly = src
				t.fix(fixReadOnly)
			}
		}
	}
	return nil
}

// fixInnerError declares the members real Graph errors carry in innerError.
func (b *builder) fixInnerError() error {
	t := b.types[innerErrorName]
	if t == nil {
		return fmt.Errorf("%s: %s missing from the subset", b.version, innerErrorName)
	}
	for _, name := range innerErrorMembers {
		if _, ok := t.Props[name]; !ok {
			t.Props[name] = &propDef{Prim: &primitive{Type: "string"}, Source: "graph-calls-facts.md §4.1, §4.3"}
		}
	}
	t.fix(fixInnerError)
	return nil
}

// fixChangeType adds unknownFutureValue to changeType.
func (b *builder) fixChangeType() error {
	t := b.types[changeTypeName]
	if t == nil || t.Enum == nil {
		return fmt.Errorf("%s: enum %s missing from the subset", b.version, changeTypeName)
	}
	if !slices.Contains(t.Enum, "unknownFutureValue") {
		t.Enum = append(t.Enum, "unknownFutureValue")
		t.fix(fixChangeType)
	}
	return nil
}

// markNullableRefs records fixNullable on every type with a nullable complex- or enum-typed property.
func (b *builder) markNullableRefs() {
	for _, t := range b.types {
		for _, p := range t.Props {
			if p.Ref != "" && p.Nullable {
				t.fix(fixNullable)
			}
		}
	}
}
