package closest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		word       string
		candidates []string
		want       string
		ok         bool
	}{
		{"websocket_conection_count", []string{"http_requests_total", "websocket_connection_count"}, "websocket_connection_count", true},
		{"kubernetes_namespace", []string{"namespace", "pod", "job"}, "namespace", true},
		{"kubernetes_pod_name", []string{"namespace", "pod", "job"}, "pod", true},
		{"deployment", []string{"namespace", "pod", "job"}, "", false},
		{"imagePullPolcy", []string{"image", "imagePullPolicy", "name"}, "imagePullPolicy", true},
		{"Namespace", []string{"namespace", "pod"}, "namespace", true},
		{"pod", []string{"pod"}, "", false},
		{"xyz", nil, "", false},
		// Equal distances: the first in sorted order wins, whatever the input order.
		{"ab", []string{"ac", "aa"}, "aa", true},
		{"ab", []string{"aa", "ac"}, "aa", true},
	} {
		got, ok := Match(tc.word, tc.candidates)
		assert.Equal(t, tc.ok, ok, tc.word)
		assert.Equal(t, tc.want, got, tc.word)
	}
}

func TestDistance(t *testing.T) {
	assert.Equal(t, 0, Distance("a", "a"))
	assert.Equal(t, 3, Distance("kitten", "sitting"))
	assert.Equal(t, 4, Distance("", "abcd"))
}
