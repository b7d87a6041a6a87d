{{/*
Names. Every object is <fullname>-<component>; the fullname is the release name, with "-verigen" added unless the
release name already says verigen.
*/}}
{{- define "verigen.fullname" -}}
{{- if contains "verigen" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-verigen" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "verigen.name" -}}
{{- printf "%s-%s" (include "verigen.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "verigen.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: verigen
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one component: {root, component} */}}
{{- define "verigen.selectorLabels" -}}
app.kubernetes.io/name: verigen
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "verigen.labels" -}}
{{ include "verigen.commonLabels" .root }}
{{ include "verigen.selectorLabels" . }}
{{- end -}}

{{/* The image of a service module: {root, module} */}}
{{- define "verigen.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := $img.tag | default .root.Chart.AppVersion -}}
{{- if $img.registry -}}
{{- printf "%s/%s/%s:%s" $img.registry $img.prefix .module $tag -}}
{{- else -}}
{{- printf "%s/%s:%s" $img.prefix .module $tag -}}
{{- end -}}
{{- end -}}

{{/*
mergeInto (list dst src): src over dst, recursively for maps; unlike sprig's merge, a false, 0 or "" in src wins
(a component may switch off what the defaults switch on).
*/}}
{{- define "verigen.mergeInto" -}}
{{- $dst := index . 0 -}}
{{- $src := index . 1 -}}
{{- range $k, $v := $src -}}
{{- if and (kindIs "map" $v) (kindIs "map" (index $dst $k)) -}}
{{- include "verigen.mergeInto" (list (index $dst $k) $v) -}}
{{- else -}}
{{- $_ := set $dst $k (deepCopy $v) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A component's settings: defaults, then (for pools) poolDefaults, then its own block. {root, block, pool} */}}
{{- define "verigen.settings" -}}
{{- $c := deepCopy .root.Values.defaults -}}
{{- if .pool -}}
{{- include "verigen.mergeInto" (list $c .root.Values.poolDefaults) -}}
{{- end -}}
{{- include "verigen.mergeInto" (list $c .block) -}}
{{- toYaml $c -}}
{{- end -}}

{{/* Kafka bootstrap servers: the in-chart broker or the configured cluster */}}
{{- define "verigen.kafkaBootstrap" -}}
{{- if .Values.kafka.deploy.enabled -}}
{{- printf "%s:9092" (include "verigen.name" (dict "root" . "component" "kafka")) -}}
{{- else -}}
{{- required "kafka.bootstrapServers is required (or kafka.deploy.enabled=true to run a broker in the release)" .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "verigen.postgresHost" -}}
{{- if .Values.postgresql.deploy.enabled -}}
{{- include "verigen.name" (dict "root" . "component" "postgresql") -}}
{{- else -}}
{{- required "postgresql.host is required (or postgresql.deploy.enabled=true to run one in the release)" .Values.postgresql.host -}}
{{- end -}}
{{- end -}}

{{/* jdbc:postgresql://host:port/<database>[?params]: (dict root database) */}}
{{- define "verigen.jdbcUrl" -}}
{{- $pg := .root.Values.postgresql -}}
{{- $url := printf "jdbc:postgresql://%s:%v/%s" (include "verigen.postgresHost" .root) $pg.port .database -}}
{{- if $pg.jdbcParameters -}}{{- $url = printf "%s?%s" $url $pg.jdbcParameters -}}{{- end -}}
{{- $url -}}
{{- end -}}

{{/* The Secret holding the services' database password */}}
{{- define "verigen.dbSecretName" -}}
{{- .Values.postgresql.existingSecret | default (include "verigen.name" (dict "root" . "component" "db")) -}}
{{- end -}}

{{- define "verigen.authSecretName" -}}
{{- include "verigen.name" (dict "root" . "component" "auth") -}}
{{- end -}}

{{/*
Partitions per topic: at least kafka.minPartitions and at least the most consumers any group can have
(maxReplicas x concurrency), so every consumer of a scaled-out group owns a partition.
*/}}
{{- define "verigen.partitions" -}}
{{- $root := . -}}
{{- $n := int .Values.kafka.minPartitions -}}
{{- $groups := list -}}
{{- range .Values.pools -}}
{{- $groups = append $groups (fromYaml (include "verigen.settings" (dict "root" $root "block" . "pool" true))) -}}
{{- end -}}
{{- range $name := list "rewardModel" "verifier" "generator" "orchestrator" -}}
{{- $groups = append $groups (fromYaml (include "verigen.settings" (dict "root" $root "block" (index $root.Values.services $name)))) -}}
{{- end -}}
{{- range $groups -}}
{{- $replicas := int .replicas -}}
{{- if .autoscaling.enabled -}}{{- $replicas = int .autoscaling.maxReplicas -}}{{- end -}}
{{- $consumers := mul $replicas (int (.concurrency | default 2)) -}}
{{- if gt (int $consumers) $n -}}{{- $n = int $consumers -}}{{- end -}}
{{- end -}}
{{- $n -}}
{{- end -}}

{{/* Environment every Kafka client of the platform gets */}}
{{- define "verigen.kafkaEnv" -}}
KAFKA_BOOTSTRAP: {{ include "verigen.kafkaBootstrap" . | quote }}
SPRING_CLOUD_STREAM_KAFKA_BINDER_MIN_PARTITION_COUNT: {{ include "verigen.partitions" . | quote }}
SPRING_CLOUD_STREAM_KAFKA_BINDER_REPLICATION_FACTOR: {{ ternary 1 .Values.kafka.replicationFactor .Values.kafka.deploy.enabled | quote }}
{{- end -}}

{{/* Trace export, for every service and pool: Spring Boot's own properties, empty when tracing.otlpEndpoint is */}}
{{- define "verigen.tracingEnv" -}}
{{- with .Values.tracing.otlpEndpoint }}
MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT: {{ . | quote }}
MANAGEMENT_TRACING_SAMPLING_PROBABILITY: {{ $.Values.tracing.samplingProbability | toString | quote }}
{{- end }}
{{- end -}}

{{/* An env entry from a Secret: (dict name secret key) */}}
{{- define "verigen.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{- define "verigen.dbPasswordEnv" -}}
{{ include "verigen.secretEnv" (dict "name" "VERIGEN_DB_PASSWORD" "secret" (include "verigen.dbSecretName" .) "key" .Values.postgresql.passwordKey) }}
{{- end -}}

{{- define "verigen.gatewaySecretEnv" -}}
{{ include "verigen.secretEnv" (dict "name" "VERIGEN_GATEWAY_SECRET" "secret" (.Values.auth.gatewaySecret.existingSecret | default (include "verigen.authSecretName" .)) "key" .Values.auth.gatewaySecret.key) }}
{{- end -}}

{{/* http://<service>:<port> of a component: (dict root component port) */}}
{{- define "verigen.url" -}}
{{- printf "http://%s:%v" (include "verigen.name" .) .port -}}
{{- end -}}

{{/* "true" when migrations run as a pre-install/pre-upgrade Job (not with the in-chart PostgreSQL) */}}
{{- define "verigen.migrationsAsHook" -}}
{{- if and .Values.migrations.enabled (not .Values.postgresql.deploy.enabled) -}}true{{- end -}}
{{- end -}}
