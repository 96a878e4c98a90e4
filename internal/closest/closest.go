package closest

import (
	"slices"
	"sort"
	"strings"
)

// Match returns the candidate closest to word by edit distance, if it is
// close enough to be a plausible typo: a case-insensitive match, or at
// most a third of the word's length in edits (at least 1, at most 3).
// Ties go to the first candidate in sorted order, so the answer never
// depends on the order of candidates.
func Match(word string, candidates []string) (string, bool) {
	if word == "" || len(candidates) == 0 {
		return "", false
	}
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if c != word && strings.EqualFold(c, word) {
			return c, true
		}
	}
	// A prefixed or suffixed form of a name, as kubernetes_namespace is of
	// namespace and kubernetes_pod_name of pod.
	tokens := strings.Split(word, "_")
	for _, c := range sorted {
		if c != word && len(tokens) > 1 && slices.Contains(tokens, c) {
			return c, true
		}
	}
	limit := min(max(len(word)/3, 1), 3)
	best, bestD := "", limit+1
	for _, c := range sorted {
		if c == word {
			continue
		}
		if d := Distance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

// Distance is the Levenshtein distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
