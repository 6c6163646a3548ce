package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// TLS says how Start serves https. Clients that attach tokens only to https
// requests (most SDKs and identity libraries) need it.
type TLS struct {
	// CertFile and KeyFile name a PEM certificate (chain) and its private
	// key to serve. Both empty: Start generates a CA and a leaf certificate
	// signed by it.
	CertFile, KeyFile string
	// CAFile is where the generated CA certificate is written (PEM), for
	// clients to trust (SSL_CERT_FILE, curl --cacert). Empty: ca.pem in a
	// new temporary directory, removed when the server shuts down.
	CAFile string
	// Hosts are further DNS names or IP addresses of the generated leaf
	// certificate, besides localhost, 127.0.0.1, ::1, the listener's IP and
	// the public URL's host.
	Hosts []string
}

// StartOption changes how Start serves.
type StartOption func(*startOptions)

type startOptions struct {
	middleware func(http.Handler) http.Handler
	tls        *TLS
}

// WithTLS makes Start serve https as t says.
func WithTLS(t TLS) StartOption {
	return func(o *startOptions) { o.tls = &t }
}

// Validity of generated certificates: the CA outlives its leaf; a leaf's
// 90 days stay well under the 398 days browsers accept.
const (
	caValidity   = 365 * 24 * time.Hour
	leafValidity = 90 * 24 * time.Hour
	clockSkew    = time.Hour // NotBefore is backdated by this much
)

// serverTLS is what a Server serves https with.
type serverTLS struct {
	config *tls.Config
	caPEM  []byte // nil when serving the user's pair
	caFile string
	tmpDir string // removed at shutdown; "" when the file is the user's
}

// loadTLS builds the server's TLS configuration: the user's pair, or a
// generated CA and leaf for hosts, the CA written to a file.
func loadTLS(t TLS, hosts []string) (*serverTLS, error) {
	if t.CertFile != "" || t.KeyFile != "" {
		if t.CertFile == "" || t.KeyFile == "" {
			return nil, errors.New("emulator: TLS needs both a certificate file and a key file")
		}
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("emulator: TLS certificate: %w", err)
		}
		return &serverTLS{config: tlsConfig(pair)}, nil
	}
	caPEM, leaf, err := GenerateCertificates(append(hosts, t.Hosts...), time.Now())
	if err != nil {
		return nil, err
	}
	st := &serverTLS{config: tlsConfig(leaf), caPEM: caPEM, caFile: t.CAFile}
	if err := st.writeCA(); err != nil {
		return nil, err
	}
	return st, nil
}

func tlsConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// writeCA writes the CA certificate to caFile, or to a new temporary
// directory when none is given.
func (st *serverTLS) writeCA() error {
	if st.caFile == "" {
		dir, err := os.MkdirTemp("", "callcheck-emulator-ca-")
		if err != nil {
			return fmt.Errorf("emulator: CA file: %w", err)
		}
		st.tmpDir, st.caFile = dir, filepath.Join(dir, "ca.pem")
	}
	if err := os.WriteFile(st.caFile, st.caPEM, 0o644); err != nil { // a certificate, no secret
		st.cleanup()
		return fmt.Errorf("emulator: CA file: %w", err)
	}
	return nil
}

// cleanup removes the temporary CA directory, if any.
func (st *serverTLS) cleanup() {
	if st != nil && st.tmpDir != "" {
		_ = os.RemoveAll(st.tmpDir)
	}
}

// GenerateCertificates makes a CA and a leaf certificate it signs, both
// ECDSA P-256, valid from now: the CA certificate as PEM (for clients to
// trust) and the leaf with its key (for the server). The leaf's subject
// alternative names are localhost, 127.0.0.1, ::1 and hosts (DNS names or
// IP addresses; a host:port or URL is reduced to its host).
func GenerateCertificates(hosts []string, now time.Time) ([]byte, tls.Certificate, error) {
	caKey, caCert, err := newCA(now)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("emulator: leaf key: %w", err)
	}
	tmpl, err := template(now, leafValidity, "callcheck emulator")
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	tmpl.DNSNames, tmpl.IPAddresses = subjectAltNames(append([]string{"localhost", "127.0.0.1", "::1"}, hosts...))
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("emulator: leaf certificate: %w", err)
	}
	leaf := tls.Certificate{Certificate: [][]byte{der, caCert.Raw}, PrivateKey: leafKey}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caCert.Raw}), leaf, nil
}

// newCA makes a self-signed CA that may sign leaves only.
func newCA(now time.Time) (*ecdsa.PrivateKey, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator: CA key: %w", err)
	}
	tmpl, err := template(now, caValidity, "callcheck emulator CA")
	if err != nil {
		return nil, nil, err
	}
	tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.MaxPathLenZero = true, true, true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, err
}

// template is a certificate template with a random 128-bit serial.
func template(now time.Time, validity time.Duration, cn string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("emulator: certificate serial: %w", err)
	}
	return &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Organization: []string{"callcheck"}},
		NotBefore: now.Add(-clockSkew), NotAfter: now.Add(validity)}, nil
}

// subjectAltNames sorts hosts into DNS names and IP addresses, once each;
// unspecified addresses (0.0.0.0, ::) and empty names are left out.
func subjectAltNames(hosts []string) ([]string, []net.IP) {
	var dns []string
	var ips []net.IP
	seen := map[string]bool{}
	for _, h := range hosts {
		h = hostOnly(h)
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		switch ip := net.ParseIP(h); {
		case ip == nil:
			dns = append(dns, h)
		case !ip.IsUnspecified():
			ips = append(ips, ip)
		}
	}
	return dns, ips
}

// hostOnly reduces a URL or host:port to its host.
func hostOnly(h string) string {
	if u, err := url.Parse(h); err == nil && u.Host != "" {
		return u.Hostname()
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		return host
	}
	return h
}
