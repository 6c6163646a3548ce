package derive

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csdlModel is the part of an OData CSDL document the derivation reads: structured types and enum types of
// every schema, keyed by their namespace-qualified name (microsoft.graph.call).
type csdlModel struct {
	types map[string]*csdlType
	enums map[string][]string
}

type csdlType struct {
	Name     string     `xml:"Name,attr"`
	BaseType string     `xml:"BaseType,attr"`
	Abstract bool       `xml:"Abstract,attr"`
	OpenType bool       `xml:"OpenType,attr"`
	Props    []csdlProp `xml:"Property"`
	NavProps []csdlProp `xml:"NavigationProperty"`
}

type csdlProp struct {
	Name     string `xml:"Name,attr"`
	Type     string `xml:"Type,attr"`
	Nullable string `xml:"Nullable,attr"`
}

type csdlEnum struct {
	Name    string `xml:"Name,attr"`
	Members []struct {
		Name string `xml:"Name,attr"`
	} `xml:"Member"`
}

// nullable reports the property's nullability: OData's default is true; Nullable="false" says otherwise
// (for a collection it speaks of the items).
func (p csdlProp) nullable() bool { return p.Nullable != "false" }

// parseCSDL reads the structured and enum types of an OData CSDL XML document. Type references inside
// (graph.identitySet) keep the schema alias; qualify resolves them.
func parseCSDL(data []byte) (*csdlModel, map[string]string, error) {
	m := &csdlModel{types: map[string]*csdlType{}, enums: map[string][]string{}}
	aliases := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	ns := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return m, aliases, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("csdl: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if ns, err = m.element(dec, start, ns, aliases); err != nil {
			return nil, nil, err
		}
	}
}

// element decodes one start element of the CSDL stream and returns the namespace in force after it.
func (m *csdlModel) element(dec *xml.Decoder, start xml.StartElement, ns string, aliases map[string]string) (string, error) {
	switch start.Name.Local {
	case "Schema":
		ns = attr(start, "Namespace")
		if alias := attr(start, "Alias"); alias != "" {
			aliases[alias] = ns
		}
	case "ComplexType", "EntityType":
		var t csdlType
		if err := dec.DecodeElement(&t, &start); err != nil {
			return ns, fmt.Errorf("csdl %s %s: %w", start.Name.Local, attr(start, "Name"), err)
		}
		m.types[ns+"."+t.Name] = &t
	case "EnumType":
		var e csdlEnum
		if err := dec.DecodeElement(&e, &start); err != nil {
			return ns, fmt.Errorf("csdl EnumType %s: %w", attr(start, "Name"), err)
		}
		members := make([]string, len(e.Members))
		for i, mem := range e.Members {
			members[i] = mem.Name
		}
		m.enums[ns+"."+e.Name] = members
	}
	return ns, nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// qualify turns an aliased CSDL type name (graph.identitySet) into its namespace-qualified form
// (microsoft.graph.identitySet); Edm primitives and already-qualified names are returned unchanged.
func qualify(name string, aliases map[string]string) string {
	prefix, rest, ok := strings.Cut(name, ".")
	if !ok {
		return name
	}
	if ns, ok := aliases[prefix]; ok {
		return ns + "." + rest
	}
	return name
}

// splitCollection returns the element type of "Collection(T)" and true, or name and false.
func splitCollection(name string) (string, bool) {
	if inner, ok := strings.CutPrefix(name, "Collection("); ok {
		return strings.TrimSuffix(inner, ")"), true
	}
	return name, false
}
