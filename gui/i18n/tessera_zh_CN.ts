<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;File</source>
      <extracomment>Version of the saved toolbar and dock layout: a layout saved before the Suggestions toolbar existed (version 0) is not restored, so the toolbar gets its own row.</extracomment>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;New project…</source>
      <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;Open project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近的项目(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Import documents…</source>
      <translation>导入文档(&amp;I)…</translation>
    </message>
    <message>
      <source>Import CoNLL, JSONL (Prodigy, doccano), Label Studio JSON, text or CSV/TSV</source>
      <translation>导入 CoNLL、JSONL（Prodigy、doccano）、Label Studio JSON、纯文本或 CSV/TSV</translation>
    </message>
    <message>
      <source>Import &amp;chat examples…</source>
      <translation>导入对话示例(&amp;C)…</translation>
    </message>
    <message>
      <source>Import conversations to fine-tune the chat model on: JSONL with messages (OpenAI, ShareGPT), Alpaca, or ### Human: / ### Assistant: text</source>
      <translation>导入用于微调对话模型的对话：含 messages 的 JSONL（OpenAI、ShareGPT）、Alpaca，或 ### Human: / ### Assistant: 格式的文本</translation>
    </message>
    <message>
      <source>&amp;Backups…</source>
      <translation>备份(&amp;B)…</translation>
    </message>
    <message>
      <source>The project's backups (made before imports and deletions and every 30 minutes of editing): restore one, or back up now</source>
      <translation>项目的备份（在导入和删除之前以及每编辑 30 分钟自动创建）：恢复其中一个，或立即备份</translation>
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation>导出(&amp;E)…</translation>
    </message>
    <message>
      <source>Export all documents as CoNLL, JSONL, Label Studio JSON, text or CSV/TSV</source>
      <translation>将所有文档导出为 CoNLL、JSONL、Label Studio JSON、纯文本或 CSV/TSV</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>Search &amp;labels…</source>
      <translation>搜索标签(&amp;L)…</translation>
    </message>
    <message>
      <source>Find a label by name and use it</source>
      <translation>按名称查找标签并使用它</translation>
    </message>
    <message>
      <source>Find &amp;category…</source>
      <translation>查找类别(&amp;C)…</translation>
    </message>
    <message>
      <source>Find a document category by name and give it to this document</source>
      <translation>按名称查找文档类别，并将其赋予当前文档</translation>
    </message>
    <message>
      <source>&amp;Manage labels…</source>
      <translation>管理标签(&amp;M)…</translation>
    </message>
    <message>
      <source>Add, rename, recolour or delete labels</source>
      <translation>添加、重命名、更改颜色或删除标签</translation>
    </message>
    <message>
      <source>&amp;Find documents</source>
      <translation>查找文档(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Document</source>
      <translation>文档(&amp;D)</translation>
    </message>
    <message>
      <source>Mark &amp;done and open next</source>
      <translation>标为已完成并打开下一篇(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Skip</source>
      <translation>跳过(&amp;S)</translation>
    </message>
    <message>
      <source>Mark this document skipped and move on</source>
      <translation>将此文档标为已跳过并继续</translation>
    </message>
    <message>
      <source>&amp;Reopen</source>
      <translation>重新打开(&amp;R)</translation>
    </message>
    <message>
      <source>Set this document back to new</source>
      <translation>将此文档恢复为未标注</translation>
    </message>
    <message>
      <source>De&amp;lete document</source>
      <translation>删除文档(&amp;L)</translation>
    </message>
    <message>
      <source>Delete this document and its entities (Undo brings it back): e.g. the wrong copy of a conflict</source>
      <translation>删除此文档及其实体（撤销可恢复）：例如冲突中错误的那一份</translation>
    </message>
    <message>
      <source>&amp;Next document</source>
      <translation>下一篇文档(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Previous document</source>
      <translation>上一篇文档(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Model</source>
      <translation>模型(&amp;M)</translation>
    </message>
    <message>
      <source>&amp;Suggest with…</source>
      <translation>用模型给出建议(&amp;S)…</translation>
    </message>
    <message>
      <source>Choose the trained tagger that suggests entities in new documents (or turn suggestions off)</source>
      <translation>选择为新文档建议实体的已训练标注模型（或关闭建议）</translation>
    </message>
    <message>
      <source>Review likely &amp;mistakes…</source>
      <translation>复查可能的错误(&amp;M)…</translation>
    </message>
    <message>
      <source>Finished documents where the model confidently disagrees with the labels: keep yours or take the model's</source>
      <translation>模型很有把握地与标注不一致的已完成文档：保留你的标注或采用模型的</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <source>System language</source>
      <translation>跟随系统语言</translation>
    </message>
    <message>
      <source>The new language is used the next time Tessera starts.</source>
      <translation>新的语言将在下次启动 Tessera 时生效。</translation>
    </message>
  </context>
</TS>
