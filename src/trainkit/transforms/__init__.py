"""Model-to-model passes: edition filtering, variables, images, cross-references, numbering."""
