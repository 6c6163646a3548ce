package graph

import (
	"encoding/json"
	"fmt"
	"time"
)

// ErrorResponse is the Graph error body: one "error" object (OData v4 error,
// graph-calls-facts.md §4.1).
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the "error" object: a code, a message for developers, and the
// innerError the service adds.
type ErrorDetail struct {
	Code       string      `json:"code"`
	Message    string      `json:"message"`
	InnerError *InnerError `json:"innerError,omitempty"`
	Extra      Extra       `json:"-"`
}

// UnmarshalJSON decodes an error object, keeping undeclared properties in Extra.
func (e *ErrorDetail) UnmarshalJSON(data []byte) error {
	type plain ErrorDetail
	return unmarshalOpen(data, (*plain)(e), &e.Extra)
}

// MarshalJSON encodes an error object with its Extra properties.
func (e ErrorDetail) MarshalJSON() ([]byte, error) {
	type plain ErrorDetail
	return marshalOpen(plain(e), e.Extra)
}

// InnerError is what real Graph responses carry inside the error: the date
// without offset, request-id and client-request-id (graph-calls-facts.md §4.1).
type InnerError struct {
	Date            string `json:"date,omitempty"`
	RequestID       string `json:"request-id,omitempty"`
	ClientRequestID string `json:"client-request-id,omitempty"`
	Extra           Extra  `json:"-"`
}

// UnmarshalJSON decodes an innerError, keeping undeclared properties in Extra.
func (e *InnerError) UnmarshalJSON(data []byte) error {
	type plain InnerError
	return unmarshalOpen(data, (*plain)(e), &e.Extra)
}

// MarshalJSON encodes an innerError with its Extra properties.
func (e InnerError) MarshalJSON() ([]byte, error) {
	type plain InnerError
	return marshalOpen(plain(e), e.Extra)
}

// InnerDateFormat is the layout of innerError.date: UTC, no offset
// ("2021-02-12T13:10:07").
const InnerDateFormat = "2006-01-02T15:04:05"

// NewError returns an error body with the given code and message and an
// innerError stamped with now, requestID and clientRequestID.
func NewError(code, message, requestID, clientRequestID string, now time.Time) ErrorResponse {
	return ErrorResponse{Error: ErrorDetail{
		Code:    code,
		Message: message,
		InnerError: &InnerError{
			Date:            now.UTC().Format(InnerDateFormat),
			RequestID:       requestID,
			ClientRequestID: clientRequestID,
		},
	}}
}

// ParseError decodes a Graph error body. It fails when the body is not JSON or
// has no error object with a code.
func ParseError(body []byte) (*ErrorResponse, error) {
	var probe struct {
		Error *ErrorDetail `json:"error"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, fmt.Errorf("graph: error body is not JSON: %w", err)
	}
	if probe.Error == nil {
		return nil, fmt.Errorf("graph: error body has no \"error\" object")
	}
	if probe.Error.Code == "" {
		return nil, fmt.Errorf("graph: error body has no error.code")
	}
	return &ErrorResponse{Error: *probe.Error}, nil
}
