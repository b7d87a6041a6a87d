{{/*
One component of the platform — a service or a pool's gpu-worker — rendered the same way for all:
ConfigMap (its environment), Deployment, Service, PodDisruptionBudget, autoscaler (KEDA ScaledObject on Kafka lag
or HPA on CPU) and ServiceMonitor.

  root       the chart's root context
  component  gateway | orchestrator | ... | worker-<pool>
  module     the service's image (gateway, gpu-worker, ...)
  c          the component's settings (verigen.settings)
  port       the port the service listens on (the image's SERVER_PORT)
  config     environment, in the component's ConfigMap
  env        more environment as a YAML list (secrets, the downward API)
  lag        for consumers of a job topic: (dict topic group), what KEDA scales on
  gpus       GPUs each pod requests (0: none)
  podSecurityContext, securityContext   replace the defaults' (verifier-svc's sandbox)
  volumes, volumeMounts                 more of them, as YAML lists
*/}}
{{- define "verigen.workload" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $name := include "verigen.name" . -}}
{{- $sel := dict "root" $root "component" .component -}}
{{- $config := .config -}}
{{- $autoscaled := $c.autoscaling.enabled -}}
{{- $keda := and $autoscaled $root.Values.keda.enabled .lag -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
data:
  {{- range $k, $v := $config }}
  {{ $k }}: {{ $v | toString | quote }}
  {{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
spec:
  {{- if not $autoscaled }}
  replicas: {{ $c.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "verigen.selectorLabels" $sel | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "verigen.labels" $sel | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ toJson $config | sha256sum }}
        {{- with $c.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "verigen.fullname" $root }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml (.podSecurityContext | default $c.podSecurityContext) | nindent 8 }}
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      {{- with $c.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- if $c.topologySpread.enabled }}
      topologySpreadConstraints:
        {{- range $c.topologySpread.topologyKeys }}
        - maxSkew: {{ $c.topologySpread.maxSkew }}
          topologyKey: {{ . }}
          whenUnsatisfiable: {{ $c.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "verigen.selectorLabels" $sel | nindent 14 }}
        {{- end }}
      {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .module }}
          image: {{ include "verigen.image" (dict "root" $root "module" .module) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ $name }}
            {{- with $c.extraEnvFrom }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- $env := list }}
          {{- with .env }}{{ $env = append $env . }}{{ end }}
          {{- with $c.javaOptions }}{{ $env = append $env (printf "- name: JAVA_TOOL_OPTIONS\n  value: %s" (quote .)) }}{{ end }}
          {{- with $c.extraEnv }}{{ $env = append $env (toYaml .) }}{{ end }}
          {{- with $env }}
          env:
            {{- join "\n" . | nindent 12 }}
          {{- end }}
          resources:
            {{- $resources := deepCopy $c.resources }}
            {{- if gt (int .gpus) 0 }}
            {{- $limits := $resources.limits | default dict }}
            {{- $_ := set $limits $c.gpuResource (toString (int .gpus)) }}
            {{- $_ := set $resources "limits" $limits }}
            {{- end }}
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            {{- toYaml (.securityContext | default $c.securityContext) | nindent 12 }}
          startupProbe:
            httpGet: {path: /actuator/health/liveness, port: http}
            {{- toYaml $c.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: {path: /actuator/health/liveness, port: http}
            {{- toYaml $c.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: {path: /actuator/health/readiness, port: http}
            {{- toYaml $c.probes.readiness | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $c.tmpSize }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
  {{- with (dig "service" "annotations" dict $c) }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ dig "service" "type" "ClusterIP" $c }}
  selector:
    {{- include "verigen.selectorLabels" $sel | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
      protocol: TCP
{{- if $c.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
spec:
  maxUnavailable: {{ $c.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "verigen.selectorLabels" $sel | nindent 6 }}
{{- end }}
{{- if $keda }}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
spec:
  scaleTargetRef:
    name: {{ $name }}
  minReplicaCount: {{ $c.autoscaling.minReplicas }}
  maxReplicaCount: {{ $c.autoscaling.maxReplicas }}
  pollingInterval: {{ $root.Values.keda.pollingInterval }}
  cooldownPeriod: {{ $root.Values.keda.cooldownPeriod }}
  triggers:
    - type: kafka
      metadata:
        bootstrapServers: {{ include "verigen.kafkaBootstrap" $root | quote }}
        consumerGroup: {{ .lag.group | quote }}
        topic: {{ .lag.topic | quote }}
        lagThreshold: {{ $c.autoscaling.lagThreshold | quote }}
        activationLagThreshold: {{ $c.autoscaling.activationLagThreshold | quote }}
        offsetResetPolicy: earliest
        # never more replicas than partitions (the chart sizes topics for maxReplicas x concurrency)
        allowIdleConsumers: "false"
{{- else if $autoscaled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $c.autoscaling.minReplicas }}
  maxReplicas: {{ $c.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $c.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- if $root.Values.metrics.serviceMonitor.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $name }}
  labels:
    {{- include "verigen.labels" $sel | nindent 4 }}
    {{- with $root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "verigen.selectorLabels" $sel | nindent 6 }}
  endpoints:
    - port: http
      path: /actuator/prometheus
      interval: {{ $root.Values.metrics.serviceMonitor.interval }}
      # every service answers metrics only with the gateway's credential, here as a bearer token
      authorization:
        type: Bearer
        credentials:
          name: {{ $root.Values.auth.gatewaySecret.existingSecret | default (include "verigen.authSecretName" $root) }}
          key: {{ $root.Values.auth.gatewaySecret.key }}
{{- end }}
{{- end -}}
