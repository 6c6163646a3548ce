// Command target is the bare net/http endpoint load/bench/compare.sh
// attacks with both callcheck and vegeta: POST answers 201 with a Location
// and a small call body, anything else 200. It prints its address on the
// first line of stdout.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:0", "address to listen on")
	dump := flag.String("dump", "", "write the first POST's body and headers here (to replay it with vegeta)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr().String())
	var n atomic.Uint64
	var dumped atomic.Bool
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusOK)
			return
		}
		if *dump != "" && dumped.CompareAndSwap(false, true) {
			body, _ := io.ReadAll(r.Body)
			if err := os.WriteFile(*dump, body, 0o644); err != nil {
				log.Print(err)
			}
		}
		id := "00000000-0000-4000-8000-" + fmt.Sprintf("%012d", n.Add(1))
		w.Header().Set("Location", "http://"+r.Host+"/beta/communications/calls/"+id)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(id)+10))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":"%s"}`+"\n", id)
	})
	log.Fatal(http.Serve(ln, handler))
}
