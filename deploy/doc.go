// Package deploy holds the Kubernetes manifests that run callcheck's load
// as an Indexed Job (load-job.yaml) and merge its shards
// (load-merge-job.yaml). It has no code: its tests decode the manifests
// strictly into the Kubernetes API types, check what a distributed run
// needs, and run the Job's command lines as local processes. The Kubernetes
// API modules are imported by those tests only, never by callcheck.
package deploy
