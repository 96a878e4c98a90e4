package scenarios

import (
	"gopkg.in/yaml.v3"
)

// maxExpandedNodes bounds what a document's aliases may expand to: a
// "billion laughs" document of a few hundred bytes would otherwise expand
// to gigabytes. Real scenarios and manifests stay far below it.
const maxExpandedNodes = 1_000_000

// expandAliases replaces every alias of the document by a copy of its
// anchored node and applies YAML merge keys (<<: *base, or a list of
// them), as kubectl reads manifests: keys of the mapping itself win over
// merged ones, earlier merged mappings over later ones. It reports a
// problem at the document's line when the expansion would exceed
// maxExpandedNodes, or a merge key that does not name mappings.
func expandAliases(ps *problems, doc *yaml.Node) bool {
	if !hasAliases(doc) {
		return true
	}
	budget := maxExpandedNodes
	var failed bool
	var expand func(n *yaml.Node, depth int) *yaml.Node
	expand = func(n *yaml.Node, depth int) *yaml.Node {
		if failed {
			return n
		}
		budget--
		if budget < 0 || depth > 10_000 {
			failed = true
			ps.add(doc.Line, "", "the document's aliases expand to more than %d nodes; write the values out, or use fewer nested aliases", maxExpandedNodes)
			return n
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return n
			}
			return expand(n.Alias, depth+1)
		}
		c := *n
		c.Anchor = ""
		if len(n.Content) == 0 {
			return &c
		}
		c.Content = make([]*yaml.Node, 0, len(n.Content))
		if n.Kind != yaml.MappingNode {
			for _, ch := range n.Content {
				c.Content = append(c.Content, expand(ch, depth+1))
			}
			return &c
		}
		var merged [][2]*yaml.Node
		own := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				v = expand(v, depth+1)
				var sources []*yaml.Node
				switch v.Kind {
				case yaml.MappingNode:
					sources = []*yaml.Node{v}
				case yaml.SequenceNode:
					sources = v.Content
				}
				for _, src := range sources {
					if src.Kind != yaml.MappingNode {
						failed = true
						ps.add(k.Line, "", "a merge key (<<) takes a mapping or a list of mappings, got %s", kindName(src))
						return &c
					}
					for j := 0; j+1 < len(src.Content); j += 2 {
						merged = append(merged, [2]*yaml.Node{src.Content[j], src.Content[j+1]})
					}
				}
				continue
			}
			own[k.Value] = true
			c.Content = append(c.Content, expand(k, depth+1), expand(v, depth+1))
		}
		seen := map[string]bool{}
		for _, kv := range merged {
			if own[kv[0].Value] || seen[kv[0].Value] {
				continue
			}
			seen[kv[0].Value] = true
			c.Content = append(c.Content, kv[0], kv[1])
		}
		return &c
	}
	out := expand(doc, 0)
	if failed {
		return false
	}
	*doc = *out
	return true
}

func hasAliases(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || (n.Kind == yaml.ScalarNode && n.Tag == "!!merge") {
		return true
	}
	for _, c := range n.Content {
		if hasAliases(c) {
			return true
		}
	}
	return false
}
