package main

import (
	"errors"
	"fmt"
	"sync"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	kedav1alpha1 "github.com/kedacore/keda/v2/apis/keda/v1alpha1"
)

var (
	crdOnce      sync.Once
	crdValidator validation.SchemaValidator
	crdErr       error
)

// schemaValidator is the OpenAPI schema of the release's ScaledObject CRD,
// as the API server applies it to a create.
func schemaValidator() (validation.SchemaValidator, error) {
	crdOnce.Do(func() {
		var crd apiextensionsv1.CustomResourceDefinition
		if crdErr = yaml.Unmarshal(kedav1alpha1.ConformanceCRD, &crd); crdErr != nil {
			return
		}
		for _, v := range crd.Spec.Versions {
			if v.Name != "v1alpha1" || v.Schema == nil {
				continue
			}
			var internal apiextensions.JSONSchemaProps
			if crdErr = apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); crdErr != nil {
				return
			}
			crdValidator, _, crdErr = validation.NewSchemaValidator(&internal)
			return
		}
		crdErr = errors.New("the CRD has no v1alpha1 schema")
	})
	return crdValidator, crdErr
}

// admit is what creating the ScaledObject meets: the CRD's OpenAPI schema
// (the CEL rule on min/max replicas repeats a webhook check and is left
// out), then the admission webhook (scaledobject_webhook.go
// ValidateCreate) with the fake API server as its client.
func admit(so *kedav1alpha1.ScaledObject, cl client.Client) error {
	v, err := schemaValidator()
	if err != nil {
		return fmt.Errorf("crd schema: %w", err)
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(so)
	if err != nil {
		return err
	}
	if errs := validation.ValidateCustomResource(nil, obj, v); len(errs) > 0 {
		return fmt.Errorf("schema: %v", errs.ToAggregate())
	}
	m := meta.NewDefaultRESTMapper(nil)
	m.Add(schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, meta.RESTScopeNamespace)
	kedav1alpha1.ConformanceWebhook(cl, m)
	dry := false
	if _, err := so.ValidateCreate(&dry); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	return nil
}
