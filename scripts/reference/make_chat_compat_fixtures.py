#!/usr/bin/env python3
"""Renders well-known chat templates with the Hugging Face Jinja2 environment (llamaref.hf_jinja_env) so the
Java ChatTemplate can be checked against Jinja2 beyond the default model's template.

Writes longkv-core/src/test/resources/fixtures/chat/compat.json:
  {"templates": {name: source}, "conversations": {name: [messages]}, "renders": {"name/conversation/agp": text}}
A render that raises is stored as "ERROR: <message>".
Run: python3 scripts/reference/make_chat_compat_fixtures.py
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from llamaref import render_chat  # noqa: E402

LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' "
          "+ message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
          "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
          "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")

MISTRAL = ("{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
           "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
           "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
           "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
           "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}")

QWEN25 = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

# The Python-isms of newer templates (Qwen3, Llama 3.1): str and dict methods, namespace, tojson, block whitespace.
PYISMS = """{%- set ns = namespace(last_user=-1) %}
{%- for message in messages %}
    {%- if message.role == 'user' %}{% set ns.last_user = loop.index0 %}{% endif %}
{%- endfor %}
{% for message in messages %}
    {% set content = message.content %}
    {% if message.role == 'assistant' and '</think>' in content %}
        {% set content = content.split('</think>')[-1].lstrip('\\n') %}
    {% endif %}
[{{ loop.index }}/{{ messages | length }}] {{ message.role.upper() }}{% if loop.index0 == ns.last_user %} (last user){% endif %}: {{ content.strip() }}
    {%- if content.startswith('Q:') %} starts-with-Q{% endif %}
    {%- if content.endswith('?') %} ends-with-?{% endif %}

{% endfor %}
{% set meta = {'b': 'x "y"\\n', 'a': [1, 2, true, none], 'c': 'é'} %}
{% for key, value in meta.items() %}
{{ key }}={{ value | tojson }}
{% endfor %}
{{ meta | tojson }}
{{ meta | tojson(indent=2) }}
{{ 'a,b,,c'.split(',') | length }} {{ '  x  y '.split() | join('|') }} {{ 'xxhixx'.strip('x') }} {{ meta.get('zz', 'default') }}
{% if add_generation_prompt %}
<assistant>
{% endif %}
"""

TEMPLATES = {"llama3": LLAMA3, "mistral": MISTRAL, "qwen2.5": QWEN25, "pyisms": PYISMS}

CONVERSATIONS = {
    "single": [{"role": "user", "content": "Hello!"}],
    "multi": [
        {"role": "system", "content": "  Be brief.  "},
        {"role": "user", "content": "What is 2+2?"},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "And 3+3?\n"},
    ],
    "alternating": [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello, how can I help?"},
        {"role": "user", "content": "Q: tell me a joke?"},
    ],
    "thinking": [
        {"role": "user", "content": "Q: why?"},
        {"role": "assistant", "content": "<think>hmm</think>\n\nBecause."},
        {"role": "user", "content": "ok"},
    ],
}


def main():
    renders = {}
    for tname, source in TEMPLATES.items():
        for cname, conversation in CONVERSATIONS.items():
            for agp in (True, False):
                try:
                    text = render_chat(source, conversation, agp, bos_token="<s>", eos_token="</s>")
                except Exception as e:  # the template's raise_exception
                    text = "ERROR: " + str(e)
                renders[f"{tname}/{cname}/{str(agp).lower()}"] = text
    out = HERE.parent.parent / "longkv-core/src/test/resources/fixtures/chat/compat.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"templates": TEMPLATES, "conversations": CONVERSATIONS, "renders": renders},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(renders)} renders to {out}")


if __name__ == "__main__":
    main()
